#if canImport(Glibc)
import Glibc
#endif
import RDBKit

/// Standard streams, written without Foundation.
enum Console {
    static func error(_ line: String) {
        var s = "rdbtool: " + line + "\n"
        s.withUTF8 { p in _ = write(2, p.baseAddress, p.count) }
    }

    static func out(_ text: String) {
        var s = text
        s.withUTF8 { p in
            var off = 0
            while off < p.count {
                let n = write(1, p.baseAddress! + off, p.count - off)
                if n <= 0 { return }
                off += n
            }
        }
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }

    /// Monotonic seconds, for timings.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func wallClockMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

/// A one-line progress meter on stderr, shown only on a terminal and for large inputs.
final class Progress {
    private let total: Int64?
    private let enabled: Bool
    private var lastDraw = 0.0
    private let started = Console.now()

    init(total: Int64?, minimumBytes: Int64 = 64 << 20) {
        self.total = total
        enabled = Console.stderrIsTerminal && (total ?? .max) >= minimumBytes
    }

    func update(_ offset: Int64) {
        guard enabled else { return }
        let t = Console.now()
        guard t - lastDraw >= 0.25 else { return }
        lastDraw = t
        let mb = Double(offset) / 1_000_000
        var line = "\r\(Int(mb)) MB read, \(Int(mb / max(t - started, 0.001))) MB/s"
        if let total, total > 0 { line += ", \(offset * 100 / total)%" }
        line += "   "
        line.withUTF8 { p in _ = write(2, p.baseAddress, p.count) }
    }

    /// For inputs counted in commands rather than bytes.
    func update(commands: Int) {
        guard enabled else { return }
        let t = Console.now()
        guard t - lastDraw >= 0.25 else { return }
        lastDraw = t
        var line = "\r\(commands) commands replayed, \(Int(Double(commands) / max(t - started, 0.001))) per second   "
        line.withUTF8 { p in _ = write(2, p.baseAddress, p.count) }
    }

    func finish() {
        guard enabled, lastDraw > 0 else { return }
        var clear = "\r" + String(repeating: " ", count: 60) + "\r"
        clear.withUTF8 { p in _ = write(2, p.baseAddress, p.count) }
    }
}
