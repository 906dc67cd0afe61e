/// One key as the keyspace analyses (`memory`, `top`, `prefixes`, `report`) see it: its
/// shape, and its memory estimate when a model ran.
public struct KeyStats: Sendable {
    public var shape: KeyShape
    public var memory: MemoryEstimate?

    public init(shape: KeyShape, memory: MemoryEstimate?) {
        self.shape = shape; self.memory = memory
    }
}

/// Reads a file once for the keyspace analyses: keys that pass the filter become `KeyStats`.
/// Without a memory model the file is read at the structure level (contents are checked but
/// never kept); with one, values are decoded with their layouts, estimated, and dropped.
public struct KeyspaceScan {
    public var filter: KeyFilter
    public var model: MemoryModel?
    /// Keys estimated below this many bytes of memory are left out (needs a model).
    public var minMemory: Int64?

    public init(filter: KeyFilter, model: MemoryModel?, minMemory: Int64? = nil) {
        self.filter = filter; self.model = model; self.minMemory = minMemory
    }

    /// Reader options for this scan, from the caller's (version and checksum choices).
    public func readerOptions(_ base: RDBReader.Options) -> RDBReader.Options {
        var o = base
        o.level = model == nil ? .structure : .values
        o.captureLayout = model != nil
        return o
    }

    /// Reads `input` through the trailer; `events` sees every event that is not a key (header,
    /// aux fields, warnings, trailer...), `keys` every selected key in file order.
    public func run(_ input: BufferedReader, options: RDBReader.Options,
                    events: (RDBEvent) throws -> Void = { _ in },
                    keys: (KeyStats) throws -> Void) throws {
        try run(RDBReader(input: input, options: readerOptions(options)), events: events, keys: keys)
    }

    /// The same over a reader already made (with `readerOptions`), e.g. one that computes the
    /// checksum on a second thread.
    public func run(_ reader: RDBReader, events: (RDBEvent) throws -> Void = { _ in },
                    keys: (KeyStats) throws -> Void) throws {
        try reader.read { event in
            switch event {
            case .key(let r):
                guard filter.accepts(r) else { return }
                let estimate = model?.estimate(r)
                if let minMemory, let estimate, estimate.total < minMemory { return }
                try keys(KeyStats(shape: r.shape, memory: estimate))
            case .keyShape(let k):
                guard filter.accepts(k) else { return }
                try keys(KeyStats(shape: k, memory: nil))
            default:
                try events(event)
            }
        }
    }
}
