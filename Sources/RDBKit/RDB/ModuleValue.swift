/// Module data walked without the module (format.md §5.6.3): every token a module writes is
/// tagged with an opcode, so the value's extent is known even when its meaning is not.
extension RDBDecoder {
    enum ModuleOpcode: UInt64 {
        case eof = 0, sint = 1, uint = 2, float = 3, double = 4, string = 5
    }

    /// Consumes module opcodes through the terminating EOF opcode.
    func skipModuleOpcodes() throws {
        while true {
            let at = input.offset
            let raw = try readLength()
            guard let op = ModuleOpcode(rawValue: raw) else {
                throw RDBError(.structural, at: at, expected: "a module opcode (0-5)", found: "\(raw)")
            }
            switch op {
            case .eof: return
            case .sint, .uint: _ = try readLength()
            case .float: try input.skip(4)
            case .double: try input.skip(8)
            case .string: try skipString()
            }
        }
    }

    /// A MODULE_2 value: the module id, then the raw opcode stream through its EOF.
    func readModuleValue() throws -> ModuleValue {
        let id = try readLength()
        input.beginCapture()
        do {
            try skipModuleOpcodes()
        } catch {
            _ = input.endCapture()
            throw error
        }
        return ModuleValue(moduleID: id, payload: input.endCapture())
    }
}
