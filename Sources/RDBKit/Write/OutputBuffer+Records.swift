extension OutputBuffer {
    /// Appends one rendered record, flushes when due, and empties `record` for the next one.
    func appendRecord(_ record: inout RecordBuffer) throws {
        record.withUnsafeBytes { append($0) }
        record.removeAll(shrinkingAbove: 1 << 22)
        try maybeFlush()
    }
}
