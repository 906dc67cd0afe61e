/// `aof log`: one line per AOF command. Text lines are `<time> <db> <arguments>`, the time as
/// ISO-8601 UTC of the last `#TS:` annotation (`-` before the first one) and each argument
/// quoted as redis-cli shows it; JSONL lines are objects with `file`, `offset`, `index`, `db`,
/// `time_ms` (null without an annotation) and `args` as JSONL-contract bytes.
public final class AOFLogWriter {
    public enum Format: Sendable { case text, jsonl }

    private let out: OutputBuffer
    private let format: Format
    private var line = RecordBuffer()
    /// The time column of the last line: annotations change once a second at most.
    private var renderedTime: (seconds: Int64?, bytes: [UInt8]) = (nil, Array("-".utf8))

    public init(output: OutputBuffer, format: Format) {
        self.out = output
        self.format = format
    }

    public func write(_ c: AOFCommand) throws {
        switch format {
        case .text: appendText(c)
        case .jsonl: appendJSON(c)
        }
        line.append(UInt8(ascii: "\n"))
        try out.appendRecord(&line)
    }

    public func finish() throws {
        try out.flush()
    }

    private func appendText(_ c: AOFCommand) {
        if renderedTime.seconds != c.timeSeconds {
            renderedTime = (c.timeSeconds, Array((c.timeSeconds.map { UTCTime.iso(seconds: $0) } ?? "-").utf8))
        }
        renderedTime.bytes.withUnsafeBytes { line.append($0) }
        line.append(UInt8(ascii: " "))
        line.appendDecimal(Int64(c.db))
        c.arguments.withUnsafeElements { args in
            for i in 0..<args.count {
                line.append(UInt8(ascii: " "))
                Quoting.appendRedisCLI(args[i], to: &line)
            }
        }
    }

    private func appendJSON(_ c: AOFCommand) {
        line.append("{\"file\":")
        JSONEncoding.appendString(c.file.utf8, to: &line)
        line.append(",\"offset\":")
        line.appendDecimal(c.offset)
        line.append(",\"index\":")
        line.appendDecimal(Int64(c.index))
        line.append(",\"db\":")
        line.appendDecimal(Int64(c.db))
        line.append(",\"time_ms\":")
        if let t = c.timeSeconds { line.appendDecimal(t * 1000) } else { line.append("null") }
        line.append(",\"args\":[")
        c.arguments.withUnsafeElements { args in
            for i in 0..<args.count {
                if i > 0 { line.append(UInt8(ascii: ",")) }
                JSONEncoding.appendBytes(args[i], to: &line)
            }
        }
        line.append("]}")
    }
}
