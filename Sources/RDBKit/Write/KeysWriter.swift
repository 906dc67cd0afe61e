/// `dump --format keys`: one key per line, quoted and escaped as redis-cli shows it, so every
/// key (binary, empty, with newlines) stays on one line and can be told apart.
public final class KeysWriter: RecordWriter {
    private let out: OutputBuffer

    public init(output: OutputBuffer) {
        self.out = output
    }

    public func begin() throws {}

    public func write(_ r: KeyRecord) throws {
        out.append(Quoting.redisCLI(r.key))
        out.append(UInt8(ascii: "\n"))
        try out.maybeFlush()
    }

    /// Function libraries are not keys.
    public func write(_ library: FunctionLibrary) throws {}

    public func finish() throws {
        try out.flush()
    }
}
