/// FUNCTION LOAD [REPLACE] / DELETE / FLUSH / RESTORE (`functions.c`, Redis 7.0+). Libraries
/// are kept as code; the engine is not run, so a library is named by its shebang line.
extension Replayer {
    static let functionCommands: [String: Handler] = [
        "FUNCTION": { r, a in try r.function(a) },
    ]

    private func function(_ a: Args) throws {
        try a.arity(atLeast: 2)
        if a.isWord(1, "LOAD") {
            guard a.count == 3 || (a.count == 4 && a.isWord(2, "REPLACE")) else { throw a.error(.syntax, "syntax error") }
            try loadLibrary(FunctionLibrary(code: a[a.count - 1]), replace: a.count == 4, a)
        } else if a.isWord(1, "DELETE") {
            try a.arity(3)
            guard dataset.removeLibrary(a[2]) else { throw a.error(.noSuchKey, "Library not found") }
        } else if a.isWord(1, "FLUSH") {
            guard a.count == 2 || (a.count == 3 && (a.isWord(2, "ASYNC") || a.isWord(2, "SYNC"))) else {
                throw a.error(.syntax, "syntax error")
            }
            dataset.removeAllLibraries()
        } else if a.isWord(1, "RESTORE") {
            try functionRestore(a)
        } else {
            throw a.error(.syntax, "unknown FUNCTION subcommand")
        }
        addDirty(1)
    }

    private func loadLibrary(_ library: FunctionLibrary, replace: Bool, _ a: Args) throws {
        guard let name = library.shebang?.name, !name.isEmpty else {
            throw a.error(.syntax, "library metadata is missing its name (#!<engine> name=<library>)")
        }
        let key = Array(name.utf8)
        if !replace && dataset.functionLibraries.contains(where: { $0.shebang?.name == name }) {
            throw a.error(.exists, "Library '\(name)' already exists")
        }
        dataset.setLibrary(key, library)
    }

    /// FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]: a FUNCTION DUMP blob, FUNCTION2 opcodes
    /// each followed by a library's code, with DUMP's version and CRC-64 footer.
    private func functionRestore(_ a: Args) throws {
        guard a.count == 3 || a.count == 4 else { throw a.error(.syntax, "syntax error") }
        var flush = false, replace = false
        if a.count == 4 {
            if a.isWord(3, "FLUSH") { flush = true } else if a.isWord(3, "REPLACE") { replace = true }
            else if !a.isWord(3, "APPEND") { throw a.error(.syntax, "Wrong restore policy given") }
        }
        let p = a[2]
        guard p.count >= 10 else { throw a.error(.badPayload, "payload shorter than its 10-byte footer") }
        let n = p.count
        var stored: UInt64 = 0
        for k in 0..<8 { stored |= UInt64(p[n - 8 + k]) << (8 * UInt64(k)) }
        let crc = p.withUnsafeBytes { CRC64.update(0, UnsafeRawBufferPointer(rebasing: $0[0..<(n - 8)])) }
        guard crc == stored else { throw a.error(.badPayload, "payload version or checksum are wrong") }
        let version = Int(p[n - 10]) | Int(p[n - 9]) << 8
        let decoder = RDBDecoder(input: BufferedReader(MemorySource(Array(p[0..<(n - 10)]))),
                                 dialect: Dialect(family: version >= 80 ? .valkey : .redis, version: version))
        var libraries: [FunctionLibrary] = []
        do {
            while try !decoder.input.atEnd() {
                let op = try decoder.input.readByte()
                guard op == RDBOpcode.function2 else {
                    throw a.error(.badPayload, "payload holds opcode \(op), expected FUNCTION2 (245)")
                }
                libraries.append(FunctionLibrary(code: try decoder.readString()))
            }
        } catch let e as RDBError {
            throw a.error(.badPayload, "payload: \(e)")
        }
        if flush { dataset.removeAllLibraries() }
        for library in libraries { try loadLibrary(library, replace: replace || flush, a) }
    }
}
