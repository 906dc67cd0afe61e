import CZlib

/// Inflates gzip (also concatenated members) on the fly through zlib.
public final class GzipSource: ByteSource {
    private let inner: ByteSource
    private var stream = z_stream()
    private var input: UnsafeMutableRawBufferPointer
    private var finished = false
    private var compressedRead: Int64 = 0

    public init(_ inner: ByteSource) throws {
        self.inner = inner
        input = .allocate(byteCount: 1 << 16, alignment: 16)
        // 15 + 32: accept gzip or zlib headers, full window.
        let rc = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        if rc != Z_OK {
            input.deallocate()
            throw RDBError(.io, at: 0, expected: "zlib to initialise", found: "error \(rc)")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if finished || buffer.count == 0 { return 0 }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(clamping: buffer.count)
        while stream.avail_out == UInt32(clamping: buffer.count) {
            if stream.avail_in == 0 {
                let n = try inner.read(into: input)
                if n == 0 {
                    finished = true
                    if stream.total_in > 0 && stream.avail_out == UInt32(clamping: buffer.count) {
                        // Input ended inside a member: report it as a truncated gzip stream.
                        throw RDBError(.truncated, at: compressedRead, expected: "the rest of the gzip stream", found: "end of input")
                    }
                    break
                }
                compressedRead += Int64(n)
                stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = UInt32(n)
            }
            let rc = inflate(&stream, Z_NO_FLUSH)
            if rc == Z_STREAM_END {
                // Another member may follow (concatenated gzip files).
                let produced = buffer.count - Int(stream.avail_out)
                inflateReset(&stream)
                stream.total_in = 0
                if stream.avail_in == 0 {
                    let n = try inner.read(into: input)
                    if n == 0 { finished = true; return produced }
                    compressedRead += Int64(n)
                    stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_in = UInt32(n)
                }
                if produced > 0 { return produced }
                continue
            }
            if rc != Z_OK && rc != Z_BUF_ERROR {
                let msg = stream.msg.map { String(cString: $0) } ?? "error \(rc)"
                throw RDBError(.io, at: compressedRead, expected: "valid gzip data", found: msg)
            }
        }
        return buffer.count - Int(stream.avail_out)
    }
}
