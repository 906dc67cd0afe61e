import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// TEST SUPPORT: a blocking RESP2 client for the randomised replay tests (one TCP connection,
/// one command at a time), much faster than a redis-cli process per command.
final class RESPClient {
    indirect enum Reply: Equatable {
        case status([UInt8]), error([UInt8]), integer(Int64), bulk([UInt8]?), array([Reply]?)
        var isError: Bool { if case .error = self { true } else { false } }
    }

    private let fd: Int32
    private var buffer: [UInt8] = []
    private var pos = 0

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RedisServer.ServerError(message: "socket failed") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard ok else { close(fd); throw RedisServer.ServerError(message: "connect to \(port) failed") }
    }

    deinit { close(fd) }

    @discardableResult
    func call(_ argv: [[UInt8]]) throws -> Reply {
        var out = Array("*\(argv.count)\r\n".utf8)
        for a in argv { out += Array("$\(a.count)\r\n".utf8) + a + [13, 10] }
        var sent = 0
        while sent < out.count {
            let n = out[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw RedisServer.ServerError(message: "send failed") }
            sent += n
        }
        return try reply()
    }

    func call(_ words: String...) throws -> Reply { try call(words.map { Array($0.utf8) }) }

    private func fill() throws {
        if pos > 0 { buffer.removeFirst(pos); pos = 0 }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw RedisServer.ServerError(message: "connection closed") }
        buffer += chunk[0..<n]
    }

    private func line() throws -> [UInt8] {
        while true {
            if let cr = buffer[pos...].firstIndex(of: 13), cr + 1 < buffer.count {
                defer { pos = cr + 2 }
                return Array(buffer[pos..<cr])
            }
            try fill()
        }
    }

    private func reply() throws -> Reply {
        let l = try line()
        let rest = Array(l.dropFirst())
        let n = Int(String(decoding: rest, as: UTF8.self)) ?? -1
        switch l.first {
        case UInt8(ascii: "+"): return .status(rest)
        case UInt8(ascii: "-"): return .error(rest)
        case UInt8(ascii: ":"): return .integer(Int64(n))
        case UInt8(ascii: "$"):
            if n < 0 { return .bulk(nil) }
            while buffer.count - pos < n + 2 { try fill() }
            defer { pos += n + 2 }
            return .bulk(Array(buffer[pos..<(pos + n)]))
        case UInt8(ascii: "*"):
            if n < 0 { return .array(nil) }
            return .array(try (0..<n).map { _ in try reply() })
        default: throw RedisServer.ServerError(message: "bad reply \(String(decoding: l, as: UTF8.self))")
        }
    }
}

/// TEST SUPPORT: a server's whole dataset as contract JSONL, read by shared/tools/truth-from-server.
func truthFromServer(port: Int) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", Paths.shared + "/tools/truth-from-server", "--port", "\(port)"]
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
        throw RedisServer.ServerError(message: "truth-from-server: " + String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }
    return data
}
