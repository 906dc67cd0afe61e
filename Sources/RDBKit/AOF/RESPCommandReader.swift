/// Reads the RESP commands and `#` annotations of one AOF file (format.md §7.1, §7.4) from a
/// `BufferedReader`, one item at a time: only the current command's arguments are held, and an
/// argument's bytes are read in chunks, so a length the file claims never allocates beyond
/// the bytes that exist.
///
/// Strict about framing by default, as `redis-check-aof` is: `\r\n` after every number and
/// payload. With `tolerateLineFeeds`, `\n` and `\r\r\n` are accepted too (format.md §9.1):
/// lengths come from the `$` lines, so nothing has to be guessed.
public final class RESPCommandReader {
    public enum Item: Sendable, Equatable {
        /// A complete command: `arguments`, starting at `itemOffset`, `itemBytes` long.
        case command
        /// A `#` line; `timestamp` for `#TS:<unix seconds>`, nil for any other annotation.
        case annotation(timestamp: Int64?)
        /// An annotation cut by the end of the input (the server ignores it too).
        case unterminatedAnnotation
        /// The input ends after a complete item.
        case end
    }

    public let input: BufferedReader
    /// The name errors are reported under.
    public let file: String
    public let tolerateLineFeeds: Bool
    /// The arguments of the last `.command`, valid until the next call.
    public private(set) var arguments = ByteList()
    /// Where the last item began, and how many bytes it took.
    public private(set) var itemOffset: Int64 = 0
    public var itemBytes: Int64 { input.offset - itemOffset }
    /// The first `\n`-only line ending read in tolerant mode, for one warning per file.
    public private(set) var firstLineFeedOnly: Int64?

    /// Redis reads annotation lines into a 1024-byte buffer (`AOF_ANNOTATION_LINE_MAX_LEN`).
    static let maxAnnotation = 1024
    static let maxAnnotatedSeconds: UInt64 = 2_000_000_000_000_000
    /// Redis parses `*<argc>` with `atoi` into an `int`.
    static let maxArgumentCount = Int(Int32.max)

    public init(input: BufferedReader, file: String, tolerateLineFeeds: Bool = false) {
        self.input = input
        self.file = file
        self.tolerateLineFeeds = tolerateLineFeeds
    }

    /// The next item. Errors are `AOFError`s of kind truncated, structural, lineEndings,
    /// zeroPadding or io, with the offset of the fault and of the item it is in.
    public func next() throws(AOFError) -> Item {
        arguments.removeAll()
        itemOffset = input.offset
        do {
            guard let b = try input.peekByte() else { return .end }
            switch b {
            case UInt8(ascii: "*"):
                try readCommand()
                return .command
            case UInt8(ascii: "#"):
                return try readAnnotation()
            case 0:
                throw try zeroTailOrGarbage(at: itemOffset, byte: 0, expected: "'*' starting a command")
            default:
                throw error(.structural, at: itemOffset, expected: "'*' starting a command or '#' an annotation", found: show(b))
            }
        } catch let e as AOFError {
            throw e
        } catch let e as RDBError {
            // BufferedReader reports the end of input as a truncation at the first missing byte.
            guard e.kind == .truncated else { throw error(.io, at: e.offset, expected: e.expected, found: e.found) }
            throw error(.truncated, at: e.offset, expected: "the rest of the command", found: "the end of the file")
        } catch {
            throw self.error(.io, at: input.offset, expected: "readable input", found: "\(error)")
        }
    }

    // MARK: Items

    private func readCommand() throws {
        _ = try input.readByte()  // '*'
        let count = try readNumber(isCount: true)
        guard count >= 1 else {
            throw error(.structural, at: itemOffset + 1, expected: "an argument count of at least 1", found: "\(count)")
        }
        for _ in 0..<count {
            let at = input.offset
            let b = try input.readByte()
            guard b == UInt8(ascii: "$") else {
                if b == 0 { throw try zeroTailOrGarbage(at: at, byte: b, expected: "'$' starting an argument") }
                throw error(.structural, at: at, expected: "'$' starting an argument", found: show(b))
            }
            let length = try readNumber(isCount: false)
            try arguments.appendElement(reading: length, from: input)
            try readLineEnd(after: "the argument's bytes")
        }
    }

    private func readAnnotation() throws -> Item {
        var line: [UInt8] = []
        while true {
            guard let b = try input.peekByte() else { return .unterminatedAnnotation }
            _ = try input.readByte()
            if b == UInt8(ascii: "\n") {
                if line.last == UInt8(ascii: "\r") {
                    line.removeLast()
                } else if tolerateLineFeeds {
                    firstLineFeedOnly = firstLineFeedOnly ?? input.offset - 1
                } else {
                    throw lineFeedOnly(at: input.offset - 1, after: "an annotation")
                }
                break
            }
            line.append(b)
            if line.count > Self.maxAnnotation {
                throw error(.structural, at: itemOffset, expected: "an annotation line of at most \(Self.maxAnnotation) bytes",
                            found: "a longer one")
            }
        }
        if tolerateLineFeeds && line.last == UInt8(ascii: "\r") { line.removeLast() }
        guard line.starts(with: Array("#TS:".utf8)) else { return .annotation(timestamp: nil) }
        // A time beyond ±2e15 s (63 million years) is no server's clock: read like any other
        // malformed annotation, so that times in ms and their sums never overflow.
        let ts = line.dropFirst(4).withUnsafeBytes { Decimal64.parseCanonical($0) }
        return .annotation(timestamp: ts.flatMap { $0.magnitude <= Self.maxAnnotatedSeconds ? $0 : nil })
    }

    // MARK: Framing

    /// Decimal digits after a `*` (`isCount`) or `$`, then the line end.
    private func readNumber(isCount: Bool) throws -> Int {
        let start = input.offset
        let limit = isCount ? Self.maxArgumentCount : Int.max / 16
        var value = 0
        var digits = 0
        while true {
            let at = input.offset
            let b = try input.readByte()
            if b >= 0x30 && b <= 0x39 {
                value = value * 10 + Int(b - 0x30)
                digits += 1
                if value > limit {
                    throw error(.structural, at: start, expected: isCount ? "an argument count below 2^31" : "a plausible length",
                                found: "a number of \(digits)+ digits")
                }
                continue
            }
            let prefix = isCount ? "*" : "$"
            if digits == 0 {
                if b == 0 { throw try zeroTailOrGarbage(at: at, byte: b, expected: "a decimal number after '\(prefix)'") }
                throw error(.structural, at: at, expected: "a decimal number after '\(prefix)'", found: show(b))
            }
            try finishLineEnd(first: b, at: at, after: "'\(prefix)\(value)'")
            return value
        }
    }

    private func readLineEnd(after what: @autoclosure () -> String) throws {
        let at = input.offset
        try finishLineEnd(first: try input.readByte(), at: at, after: what())
    }

    /// Checks the line end starting with `first` (already consumed, at `at`); `what` names the
    /// line in an error, built only then.
    private func finishLineEnd(first: UInt8, at: Int64, after what: @autoclosure () -> String) throws {
        switch first {
        case UInt8(ascii: "\r"):
            let second = try input.readByte()
            if second == UInt8(ascii: "\n") { return }
            if tolerateLineFeeds && second == UInt8(ascii: "\r") {
                let third = try input.readByte()
                if third == UInt8(ascii: "\n") {
                    firstLineFeedOnly = firstLineFeedOnly ?? at
                    return
                }
            }
            throw error(.structural, at: at + 1, expected: "\\n after \\r ending \(what())", found: show(second))
        case UInt8(ascii: "\n"):
            if tolerateLineFeeds {
                firstLineFeedOnly = firstLineFeedOnly ?? at
                return
            }
            throw lineFeedOnly(at: at, after: what())
        case 0:
            throw try zeroTailOrGarbage(at: at, byte: first, expected: "\\r\\n after \(what())")
        default:
            throw error(.structural, at: at, expected: "\\r\\n after \(what())", found: show(first))
        }
    }

    // MARK: Errors

    private func error(_ kind: AOFError.Kind, at offset: Int64, expected: String, found: String) -> AOFError {
        AOFError(kind, file: file, at: offset, expected: expected, found: found, commandOffset: itemOffset)
    }

    private func lineFeedOnly(at offset: Int64, after what: String) -> AOFError {
        error(.lineEndings, at: offset, expected: "\\r\\n after \(what)",
              found: "a bare \\n (LF-only line endings: the file was altered after the server wrote it; --tolerate-line-feeds reads it)")
    }

    /// A `0x00` where RESP must be: a zero-filled tail when every byte from here to the end is
    /// zero (format.md §9.21), garbage otherwise.
    private func zeroTailOrGarbage(at offset: Int64, byte: UInt8, expected: String) throws -> AOFError {
        var allZero = true
        while let b = try input.peekByte() {
            if b != 0 { allZero = false; break }
            _ = try input.readByte()
        }
        if allZero {
            return error(.zeroPadding, at: offset, expected: expected, found: "0x00 bytes through the end of the file")
        }
        return error(.structural, at: offset, expected: expected, found: show(byte))
    }

    private func show(_ b: UInt8) -> String {
        Quoting.redisCLI([b]) + " (\(hex(b)))"
    }
}
