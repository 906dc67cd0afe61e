/// The manifest of a multi-part AOF (format.md §7.2), parsed with the rules of Redis's loader
/// (`aofLoadManifestFromFile`, redis/redis src/aof.c): one `file <name> seq <n> type <b|h|i>`
/// line per file, keys in any order and case, unknown pairs ignored, `#` lines skipped.
public struct AOFManifest: Sendable, Equatable {
    public enum FileType: Character, Sendable {
        case base = "b", history = "h", incr = "i"
    }

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var sequence: Int64
        public var type: FileType
        /// Line number in the manifest, from 1.
        public var line: Int
    }

    /// Every entry in manifest order.
    public var entries: [Entry]

    public var base: Entry? { entries.first { $0.type == .base } }
    /// INCR files in load order (manifest order, which the rules make increasing by sequence).
    public var incrs: [Entry] { entries.filter { $0.type == .incr } }
    public var history: [Entry] { entries.filter { $0.type == .history } }

    /// `fgets` with a 1025-byte buffer: a line of more than 1023 bytes has no `\n` in it.
    static let maxLine = 1024

    /// Parses manifest bytes; `file` names the manifest in errors, whose `offset` is a line number.
    public static func parse(_ bytes: [UInt8], file: String) throws(AOFError) -> AOFManifest {
        func fail(_ line: Int, _ expected: String, _ found: String) -> AOFError {
            AOFError(.manifest, file: file, at: Int64(line), expected: expected, found: found)
        }
        var entries: [Entry] = []
        var lineNumber = 0
        var maxIncr: Int64 = 0
        var start = 0
        while start < bytes.count {
            lineNumber += 1
            let newline = bytes[start...].firstIndex(of: 0x0A)
            let end = newline ?? bytes.count
            let raw = bytes[start..<end]
            start = end + 1
            if raw.first == UInt8(ascii: "#") { continue }
            if newline == nil || raw.count >= maxLine {
                throw fail(lineNumber, "a line ending in \\n of at most \(maxLine - 1) bytes",
                           newline == nil ? "a last line without \\n" : "a line of \(raw.count) bytes")
            }
            let trimmed = raw.drop { isTrimmed($0) }.reversed().drop { isTrimmed($0) }.reversed()
            if trimmed.isEmpty { throw fail(lineNumber, "a file line", "an empty line") }
            guard let words = splitArguments(Array(trimmed)), words.count >= 6, words.count % 2 == 0 else {
                throw fail(lineNumber, "an even number of at least 6 tokens (file <name> seq <n> type <t>)",
                           Quoting.redisCLI(trimmed, limit: 80))
            }
            var name: String? = nil, seq: Int64 = 0, type: UInt8? = nil
            for i in stride(from: 0, to: words.count, by: 2) {
                let key = String(decoding: words[i].map(asciiUpper), as: UTF8.self)
                let value = words[i + 1]
                switch key {
                case "FILE":
                    if value.contains(UInt8(ascii: "/")) {
                        throw fail(lineNumber, "a file name without a path", Quoting.redisCLI(value))
                    }
                    name = String(decoding: value, as: UTF8.self)
                case "SEQ": seq = leadingInteger(value)  // atoll: digits up to the first non-digit
                case "TYPE": type = value.first
                default: break  // forward compatibility: unknown pairs are ignored
                }
            }
            guard let name, !name.isEmpty, seq != 0, let type else {
                throw fail(lineNumber, "file, a non-zero seq and type", Quoting.redisCLI(trimmed, limit: 80))
            }
            guard let kind = FileType(rawValue: Character(Unicode.Scalar(type))) else {
                throw fail(lineNumber, "type b, h or i", Quoting.redisCLI([type]))
            }
            switch kind {
            case .base:
                if let first = entries.first(where: { $0.type == .base }) {
                    throw fail(lineNumber, "one base file", "a second one (\(first.name) on line \(first.line))")
                }
            case .incr:
                if seq <= maxIncr {
                    throw fail(lineNumber, "incr sequence numbers increasing in file order", "\(seq) after \(maxIncr)")
                }
                maxIncr = seq
            case .history:
                break
            }
            entries.append(Entry(name: name, sequence: seq, type: kind, line: lineNumber))
        }
        if lineNumber == 0 { throw fail(0, "at least one line", "an empty manifest") }
        return AOFManifest(entries: entries)
    }

    private static func isTrimmed(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A
    }

    /// `atoll`: optional sign, then digits up to the first other byte.
    static func leadingInteger(_ b: [UInt8]) -> Int64 {
        var i = 0
        while i < b.count && (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
        var negative = false
        if i < b.count && (b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+")) {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        var v: Int64 = 0
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
            v = v &* 10 &+ Int64(b[i] - 0x30)
            i += 1
        }
        return negative ? -v : v
    }

    /// Splits a line as Redis's `sdssplitargs` does: words separated by spaces, `"..."` with
    /// C escapes (`\n \r \t \b \a \\ \" \xHH`), `'...'` with `\'`; a closing quote must be
    /// followed by a space or the end. Nil for unbalanced quotes.
    static func splitArguments(_ line: [UInt8]) -> [[UInt8]]? {
        var words: [[UInt8]] = []
        var i = 0
        let n = line.count
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        func hexValue(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x61...0x66: b - 0x61 + 10
            case 0x41...0x46: b - 0x41 + 10
            default: nil
            }
        }
        while true {
            while i < n && isSpace(line[i]) { i += 1 }
            if i == n { return words }
            var word: [UInt8] = []
            var inDouble = false, inSingle = false
            while true {
                if inDouble {
                    guard i < n else { return nil }
                    let b = line[i]
                    if b == UInt8(ascii: "\\") && i + 3 < n && line[i + 1] == UInt8(ascii: "x"),
                       let h = hexValue(line[i + 2]), let l = hexValue(line[i + 3]) {
                        word.append(h << 4 | l)
                        i += 3
                    } else if b == UInt8(ascii: "\\") && i + 1 < n {
                        i += 1
                        switch line[i] {
                        case UInt8(ascii: "n"): word.append(0x0A)
                        case UInt8(ascii: "r"): word.append(0x0D)
                        case UInt8(ascii: "t"): word.append(0x09)
                        case UInt8(ascii: "b"): word.append(0x08)
                        case UInt8(ascii: "a"): word.append(0x07)
                        default: word.append(line[i])
                        }
                    } else if b == UInt8(ascii: "\"") {
                        if i + 1 < n && !isSpace(line[i + 1]) { return nil }
                        inDouble = false
                        i += 1
                        break
                    } else {
                        word.append(b)
                    }
                } else if inSingle {
                    guard i < n else { return nil }
                    let b = line[i]
                    if b == UInt8(ascii: "\\") && i + 1 < n && line[i + 1] == UInt8(ascii: "'") {
                        word.append(UInt8(ascii: "'"))
                        i += 1
                    } else if b == UInt8(ascii: "'") {
                        if i + 1 < n && !isSpace(line[i + 1]) { return nil }
                        inSingle = false
                        i += 1
                        break
                    } else {
                        word.append(b)
                    }
                } else {
                    if i == n || isSpace(line[i]) { break }
                    switch line[i] {
                    case UInt8(ascii: "\""): inDouble = true
                    case UInt8(ascii: "'"): inSingle = true
                    default: word.append(line[i])
                    }
                }
                i += 1
            }
            words.append(word)
        }
    }
}
