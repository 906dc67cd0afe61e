/// A command name of up to 16 bytes, upper-cased (servers match names ignoring ASCII case,
/// format.md §9.14) and packed in two words: every command is dispatched by its name, and
/// building a `String` and hashing it for a `Dictionary` cost more than running a SET.
struct CommandName: Equatable {
    private var words: (UInt64, UInt64) = (0, 0)
    private var count = 0

    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count <= 16 else { return nil }
        count = bytes.count
        for (i, b) in bytes.enumerated() {
            let v = UInt64(asciiUpper(b)) << UInt64(8 * (i & 7))
            if i < 8 { words.0 |= v } else { words.1 |= v }
        }
    }

    init?(_ name: String) {
        var name = name
        guard let n = name.withUTF8({ CommandName(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = n
    }

    static func == (a: CommandName, b: CommandName) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.count == b.count
    }

    /// A cheap hash for `CommandTable`'s slots.
    var slotHash: Int {
        Int(truncatingIfNeeded: ((words.0 &* 0x9E37_79B9_7F4A_7C15) ^ (words.1 &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(count)) >> 40)
    }

    static let multi = CommandName("MULTI")
    static let exec = CommandName("EXEC")
}

/// Handlers by command name: an open-addressing table of `CommandName`s (linear probing, at
/// most a quarter full), with a `Dictionary` for the few names over 16 bytes.
struct CommandTable<Handler> {
    private var names: [CommandName?]
    private var handlers: [Handler?]
    private var long: [String: Handler] = [:]

    init(_ all: [String: Handler]) {
        var size = 64
        while size < 4 * all.count { size *= 2 }
        names = Array(repeating: nil, count: size)
        handlers = Array(repeating: nil, count: size)
        for (name, handler) in all {
            guard let key = CommandName(name) else { long[name] = handler; continue }
            var i = key.slotHash & (size - 1)
            while names[i] != nil { i = (i + 1) & (size - 1) }
            names[i] = key
            handlers[i] = handler
        }
    }

    /// The handler for the command named `bytes` (in any case), nil for an unknown name.
    func handler(_ bytes: UnsafeRawBufferPointer) -> Handler? {
        guard let key = CommandName(bytes) else { return long[Replayer.upper(bytes)] }
        let mask = names.count - 1
        var i = key.slotHash & mask
        while let n = names[i] {
            if n == key { return handlers[i] }
            i = (i + 1) & mask
        }
        return nil
    }
}
