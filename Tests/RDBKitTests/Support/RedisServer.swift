import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `redis-server` on 127.0.0.1 with a free port and its own directory, stopped by PID.
final class RedisServer {
    let port: Int
    let dir: URL
    private let process: Process
    /// The server's process id, for tests that signal it.
    var pid: Int32 { process.processIdentifier }

    static var available: Bool { which("redis-server") != nil && which("redis-cli") != nil }

    static func which(_ tool: String) -> String? {
        for d in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(d)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Starts a server; with `rdb`, it loads a copy of that file at start-up; with `appendOnlyDir`
    /// (an `appendonlydir/` of the default file names), it runs with `appendonly yes` on a copy of it.
    init(loading rdb: String? = nil, appendOnlyDir: String? = nil, extraArguments: [String] = []) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdbtool-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        if let rdb { try FileManager.default.copyItem(atPath: rdb, toPath: dir.appendingPathComponent("dump.rdb").path) }
        if let appendOnlyDir {
            try FileManager.default.copyItem(atPath: appendOnlyDir, toPath: dir.appendingPathComponent("appendonlydir").path)
        }
        port = try Self.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.which("redis-server") ?? "/usr/bin/redis-server")
        process.arguments = ["--port", "\(port)", "--bind", "127.0.0.1", "--dir", dir.path, "--dbfilename", "dump.rdb",
                             "--save", "", "--appendonly", "no", "--daemonize", "no", "--enable-debug-command", "yes",
                             "--logfile", dir.appendingPathComponent("server.log").path]
            + (appendOnlyDir == nil ? [] : ["--appendonly", "yes"]) + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if process.isRunning, (try? cli("PING")) == "PONG" {
                // PING answers while a large RDB still loads; wait for the load to finish.
                if (try? cli("INFO", "persistence"))?.contains("loading:0") == true { return }
            }
            if !process.isRunning { break }
            usleep(50_000)
        }
        let log = (try? String(contentsOf: dir.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
        stop()
        throw ServerError(message: "redis-server did not start on port \(port):\n\(log.suffix(2000))")
    }

    deinit { stop() }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: dir)
    }

    /// Kills the server with SIGKILL, as a crash does, keeping its directory (removed by `stop`).
    func crash() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Runs redis-cli against this server; returns its trimmed output.
    @discardableResult
    func cli(_ args: String..., input: Data? = nil) throws -> String {
        try cli(arguments: args, input: input)
    }

    @discardableResult
    func cli(arguments: [String], input: Data? = nil) throws -> String {
        let r = try runProcess(Self.which("redis-cli") ?? "/usr/bin/redis-cli",
                               ["-h", "127.0.0.1", "-p", "\(port)"] + arguments, stdin: input)
        return (r.stdout + r.stderr).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until no AOF rewrite is running or scheduled (after BGREWRITEAOF).
    func waitForAOFRewrite() throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let info = try cli("INFO", "persistence")
            if info.contains("aof_rewrite_in_progress:0"), info.contains("aof_rewrite_scheduled:0") { return }
            usleep(20_000)
        }
        throw ServerError(message: "AOF rewrite still running after 30 s on port \(port)")
    }

    /// A TCP port nothing listens on right now (bind to port 0 and ask the kernel).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError(message: "socket failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw ServerError(message: "bind failed") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    struct ServerError: Error, CustomStringConvertible { let message: String; var description: String { message } }
}
