#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where bytes come from. Nothing above `BufferedReader` knows about files.
public protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes; returns 0 at the end of input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// A file descriptor: a path, or standard input for `-`.
public final class FileSource: ByteSource {
    public let fd: Int32
    public let path: String
    private let ownsDescriptor: Bool

    public init(path: String) throws {
        self.path = path
        if path == "-" {
            fd = 0
            ownsDescriptor = false
        } else {
            let d = open(path, O_RDONLY | O_CLOEXEC)
            if d < 0 {
                throw RDBError(.io, at: 0, expected: "a readable file", found: "\(path): \(String(cString: strerror(errno)))")
            }
            var st = stat()
            if fstat(d, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
                close(d)
                throw RDBError(.io, at: 0, expected: "a file", found: "\(path) is a directory")
            }
            fd = d
            ownsDescriptor = true
        }
    }

    deinit { if ownsDescriptor { close(fd) } }

    /// The size of a regular file, nil for pipes and terminals.
    public var regularFileSize: Int64? {
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(st.st_size)
    }

    /// Moves to an absolute offset (regular files only).
    public func seek(to offset: Int64) throws {
        guard lseek(fd, off_t(offset), SEEK_SET) >= 0 else {
            throw RDBError(.io, at: offset, expected: "a seekable file", found: "\(path): \(String(cString: strerror(errno)))")
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw RDBError(.io, at: 0, expected: "readable input", found: "\(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// Bytes already read (to sniff the format) followed by the rest of another source.
public final class PrefixedSource: ByteSource {
    private var prefix: [UInt8]
    private var used = 0
    private let rest: ByteSource

    public init(prefix: [UInt8], rest: ByteSource) { self.prefix = prefix; self.rest = rest }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if used < prefix.count {
            let n = min(buffer.count, prefix.count - used)
            prefix.withUnsafeBytes { p in
                buffer.baseAddress!.copyMemory(from: p.baseAddress! + used, byteCount: n)
            }
            used += n
            return n
        }
        return try rest.read(into: buffer)
    }
}

/// An in-memory byte array (tests, DUMP payloads).
public final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - position)
        if n > 0 {
            bytes.withUnsafeBytes { p in buffer.baseAddress!.copyMemory(from: p.baseAddress! + position, byteCount: n) }
            position += n
        }
        return n
    }
}

/// Opens an input by path (or `-`), recognising gzip by its magic bytes, not its name.
public enum Input {
    public struct Opened {
        public let source: ByteSource
        public let isGzip: Bool
        /// On-disk size when the input is a regular file.
        public let fileSize: Int64?
    }

    public static func open(_ path: String) throws -> Opened {
        let file = try FileSource(path: path)
        var head = [UInt8](repeating: 0, count: 2)
        var got = 0
        while got < 2 {
            let n = try head.withUnsafeMutableBytes { try file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[got...])) }
            if n == 0 { break }
            got += n
        }
        head.removeLast(2 - got)
        let raw = PrefixedSource(prefix: head, rest: file)
        if head == [0x1F, 0x8B] {
            return Opened(source: try GzipSource(raw), isGzip: true, fileSize: file.regularFileSize)
        }
        return Opened(source: raw, isGzip: false, fileSize: file.regularFileSize)
    }
}
