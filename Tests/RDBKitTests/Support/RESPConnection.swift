import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking RESP2 client for test servers: binary keys go over the wire as they are, which
/// redis-cli arguments cannot carry. Commands are pipelined.
final class RESPConnection {
    indirect enum Reply: Equatable {
        case status(String), error(String), integer(Int64), bulk([UInt8]?), array([Reply]?)
        var isError: Bool { if case .error = self { true } else { false } }
    }

    private let fd: Int32
    private var buffer: [UInt8] = []
    private var position = 0

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RedisServer.ServerError(message: "socket failed") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            close(fd)
            throw RedisServer.ServerError(message: "connect to port \(port) failed")
        }
    }

    deinit { close(fd) }

    /// Sends every command, then reads one reply per command, in order.
    func pipeline(_ commands: [[[UInt8]]]) throws -> [Reply] {
        var out: [UInt8] = []
        for args in commands {
            out += Array("*\(args.count)\r\n".utf8)
            for a in args { out += Array("$\(a.count)\r\n".utf8) + a + [13, 10] }
        }
        try out.withUnsafeBytes { p in
            var off = 0
            while off < p.count {
                let n = send(fd, p.baseAddress! + off, p.count - off, 0)
                guard n > 0 else { throw RedisServer.ServerError(message: "send failed") }
                off += n
            }
        }
        return try commands.map { _ in try reply() }
    }

    func command(_ args: [UInt8]...) throws -> Reply { try pipeline([args])[0] }

    @discardableResult
    func call(_ argv: [[UInt8]]) throws -> Reply { try pipeline([argv])[0] }

    private func reply() throws -> Reply {
        let line = try readLine()
        let rest = String(decoding: line.dropFirst(), as: UTF8.self)
        switch line.first {
        case UInt8(ascii: "+"): return .status(rest)
        case UInt8(ascii: "-"): return .error(rest)
        case UInt8(ascii: ":"): return .integer(Int64(rest) ?? 0)
        case UInt8(ascii: "$"):
            guard let n = Int(rest), n >= 0 else { return .bulk(nil) }
            let data = try readBytes(n + 2)
            return .bulk(Array(data.prefix(n)))
        case UInt8(ascii: "*"):
            guard let n = Int(rest), n >= 0 else { return .array(nil) }
            return .array(try (0..<n).map { _ in try reply() })
        default:
            throw RedisServer.ServerError(message: "bad reply line \(rest)")
        }
    }

    private func fill() throws {
        if position > 0 { buffer.removeFirst(position); position = 0 }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw RedisServer.ServerError(message: "connection closed") }
        buffer += chunk.prefix(n)
    }

    private func readLine() throws -> ArraySlice<UInt8> {
        while true {
            if let cr = buffer[position...].firstIndex(of: 13), cr + 1 < buffer.count, buffer[cr + 1] == 10 {
                let line = buffer[position..<cr]
                position = cr + 2
                return line
            }
            try fill()
        }
    }

    private func readBytes(_ n: Int) throws -> ArraySlice<UInt8> {
        while buffer.count - position < n { try fill() }
        defer { position += n }
        return buffer[position..<position + n]
    }
}

extension RedisServer {
    func connect() throws -> RESPConnection { try RESPConnection(port: port) }
}
