extension OutputBuffer {
    /// Appends one rendered record, flushes when due, and empties `record` for the next one.
    func appendRecord(_ record: inout RecordBuffer) throws {
        try record.withUnsafeBytes { try appendLarge($0) }
        record.removeAll(shrinkingAbove: 1 << 22)
        try maybeFlush()
    }
}
