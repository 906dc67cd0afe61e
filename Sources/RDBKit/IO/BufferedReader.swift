/// A buffered, bounds-checked reader over a `ByteSource` that knows the absolute offset of
/// every byte. It computes the CRC-64 of the bytes it consumes as it goes (one pass, no second
/// read) and can capture the raw bytes of a region (module values).
///
/// The buffer only grows as bytes actually arrive, so a length the file claims never causes an
/// allocation larger than about twice the input that really exists.
public final class BufferedReader {
    private let source: ByteSource
    private var buffer: UnsafeMutableRawBufferPointer
    @usableFromInline var pos = 0
    @usableFromInline var end = 0
    /// Absolute offset of `buffer[0]`.
    private var base: Int64 = 0
    private var sourceDone = false

    private var crcEnabled: Bool
    private var crc: UInt64 = 0
    private var crcFrom = 0

    private var captureFrom: Int?
    private var captured: [UInt8] = []

    /// `startOffset` is the absolute offset of the source's first byte (a source positioned
    /// in the middle of a file), so that offsets in errors and records stay file offsets.
    public init(_ source: ByteSource, checksum: Bool = true, bufferSize: Int = 1 << 18, startOffset: Int64 = 0) {
        self.source = source
        self.base = startOffset
        self.crcEnabled = checksum
        buffer = .allocate(byteCount: bufferSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Absolute offset of the next byte to be read.
    @inlinable public var offset: Int64 { baseOffset + Int64(pos) }
    @usableFromInline var baseOffset: Int64 { base }

    // MARK: Reading

    @inlinable
    public func readByte() throws -> UInt8 {
        if pos < end {
            let b = bufferByte(pos)
            pos += 1
            return b
        }
        try fill(1)
        let b = bufferByte(pos)
        pos += 1
        return b
    }

    @usableFromInline func bufferByte(_ i: Int) -> UInt8 { buffer[i] }

    /// The next byte without consuming it; nil at the end of input.
    public func peekByte() throws -> UInt8? {
        if pos < end { return buffer[pos] }
        guard try fillUpTo(1) else { return nil }
        return buffer[pos]
    }

    /// `n` contiguous bytes, valid until the next call on this reader.
    public func read(_ n: Int) throws -> UnsafeRawBufferPointer {
        if end - pos < n { try fill(n) }
        let p = UnsafeRawBufferPointer(rebasing: buffer[pos..<pos + n])
        pos += n
        return p
    }

    /// Appends `n` bytes to `out`, in chunks, without needing them contiguous in the buffer.
    public func append(_ n: Int, to out: inout [UInt8]) throws {
        try consume(n) { out.append(contentsOf: $0) }
    }

    public func skip(_ n: Int) throws {
        try consume(n) { _ in }
    }

    /// Passes the next `n` bytes to `chunk` as they come through the buffer.
    private func consume(_ n: Int, _ chunk: (UnsafeRawBufferPointer) -> Void) throws {
        var left = n
        while left > 0 {
            if pos == end, !(try fillUpTo(1)) { throw truncated(left) }
            let take = min(left, end - pos)
            chunk(UnsafeRawBufferPointer(rebasing: buffer[pos..<pos + take]))
            pos += take
            left -= take
        }
    }

    public func readUInt64LE() throws -> UInt64 {
        let p = try read(8)
        return UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
    }

    public func readUInt64BE() throws -> UInt64 {
        let p = try read(8)
        return UInt64(bigEndian: p.loadUnaligned(as: UInt64.self))
    }

    public func readUInt32BE() throws -> UInt32 {
        let p = try read(4)
        return UInt32(bigEndian: p.loadUnaligned(as: UInt32.self))
    }

    public func readUInt32LE() throws -> UInt32 {
        let p = try read(4)
        return UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))
    }

    /// True when no byte is left.
    public func atEnd() throws -> Bool { try peekByte() == nil }

    // MARK: Checksum and capture

    /// CRC-64 of every byte consumed so far (since the last `resetChecksum`).
    public func checksum() -> UInt64 {
        settleChecksum()
        return crc
    }

    /// Starts computing the CRC-64 from the next unconsumed byte, for a reader made without
    /// one that learns only after peeking that the input is an RDB (an AOF part).
    public func enableChecksum() {
        crcEnabled = true
        resetChecksum()
    }

    public func resetChecksum() {
        crc = 0
        crcFrom = pos
    }

    public func beginCapture() {
        captured.removeAll(keepingCapacity: true)
        captureFrom = pos
    }

    /// The raw bytes consumed since `beginCapture`.
    public func endCapture() -> [UInt8] {
        if let from = captureFrom {
            captured.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[from..<pos]))
        }
        captureFrom = nil
        let out = captured
        captured = []
        return out
    }

    private func settleChecksum() {
        if crcEnabled && crcFrom < pos {
            crc = CRC64.update(crc, UnsafeRawBufferPointer(rebasing: buffer[crcFrom..<pos]))
        }
        crcFrom = pos
    }

    // MARK: Refill

    /// `n` bytes were needed from `pos` and fewer exist: reported at the end of the input.
    private func truncated(_ n: Int) -> RDBError {
        let have = end - pos
        return RDBError(.truncated, at: offset + Int64(have),
                        expected: "\(n - have) more byte\(n - have == 1 ? "" : "s")", found: "end of input")
    }

    @usableFromInline
    func fill(_ n: Int) throws {
        guard try fillUpTo(n) else { throw truncated(n) }
    }

    /// Makes at least `n` bytes available from `pos`; false if the input ends first.
    private func fillUpTo(_ n: Int) throws -> Bool {
        if end - pos >= n { return true }
        compact()
        while end < n {
            if sourceDone { return false }
            if end == buffer.count {
                // Grow only as data arrives: doubling keeps the total bounded by the real input.
                let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
                bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
                buffer.deallocate()
                buffer = bigger
            }
            let got = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
            if got == 0 { sourceDone = true } else { end += got }
        }
        return true
    }

    /// Moves unread bytes to the start of the buffer, settling the checksum and capture first.
    private func compact() {
        settleChecksum()
        if let from = captureFrom {
            captured.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[from..<pos]))
            captureFrom = 0
        }
        if pos == 0 { return }
        let live = end - pos
        if live > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + pos, byteCount: live) }
        base += Int64(pos)
        end = live
        pos = 0
        crcFrom = 0
    }
}
