#if canImport(Glibc)
import Glibc
#endif

/// A buffered byte sink over a file descriptor: writers append bytes, never `String`s, on the
/// hot path, and the buffer is flushed in large writes.
public final class OutputBuffer {
    public private(set) var bytes: [UInt8] = []
    private let fd: Int32?
    private let flushThreshold: Int

    /// Writes to `fd` (1 for stdout).
    public init(fd: Int32, flushThreshold: Int = 1 << 16) {
        self.fd = fd
        self.flushThreshold = flushThreshold
        bytes.reserveCapacity(flushThreshold + 4096)
    }

    /// Collects everything in memory (tests, small outputs).
    public init() {
        fd = nil
        flushThreshold = .max
    }

    @inlinable public func append(_ b: UInt8) { appendByte(b) }
    @usableFromInline func appendByte(_ b: UInt8) { bytes.append(b) }

    public func append(_ p: UnsafeRawBufferPointer) { bytes.append(contentsOf: p) }
    public func append<C: Collection>(_ c: C) where C.Element == UInt8 { bytes.append(contentsOf: c) }
    public func append(_ s: String) { bytes.append(contentsOf: s.utf8) }
    public func appendDecimal(_ v: Int64) { Decimal64.append(v, to: &bytes) }

    func appendInPlace(maxCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxCount) { tmp in
            let n = body(tmp.baseAddress!)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: tmp[0..<n]))
        }
    }

    /// Flushes when the buffer is large; call after each record.
    @inlinable public func maybeFlush() throws { if shouldFlush { try flush() } }
    @usableFromInline var shouldFlush: Bool { bytes.count >= flushThreshold }

    public func flush() throws {
        guard let fd, !bytes.isEmpty else { return }
        try bytes.withUnsafeBytes { try Self.writeAll(fd, $0) }
        bytes.removeAll(keepingCapacity: true)
    }

    /// Appends `p`; a large block goes straight to the descriptor instead of growing the buffer.
    public func appendLarge(_ p: UnsafeRawBufferPointer) throws {
        guard let fd, p.count >= flushThreshold else { append(p); return }
        try flush()
        try Self.writeAll(fd, p)
    }

    private static func writeAll(_ fd: Int32, _ p: UnsafeRawBufferPointer) throws {
        var off = 0
        while off < p.count {
            let n = write(fd, p.baseAddress! + off, p.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                throw OutputError(errno: errno)
            }
            off += n
        }
    }
}

public struct OutputError: Error, CustomStringConvertible {
    public let errno: Int32
    /// What was being done, when more than a write (creating, renaming a file).
    public var detail: String? = nil
    public var description: String { "\(detail ?? "write failed"): \(String(cString: strerror(errno)))" }
    /// A closed pipe (`rdbtool dump | head`) is a normal way for output to end.
    public var isBrokenPipe: Bool { errno == EPIPE }
}
