/// What an AOF keeps through a crash under each `appendfsync` policy (format.md §8.6, §8.7).
/// A killed process loses nothing that was written to the kernel, and Redis writes its buffer
/// before replying, except that `everysec` postpones the write (up to 2 s, replying meanwhile)
/// while a background fsync is still running. A power loss keeps what was fsynced:
/// `always` fsyncs before replying; `everysec` fsyncs about once a second (a write made in
/// the crash's second is expected lost; an earlier one only if an fsync was delayed, and then
/// at most as far back as a postponed write, 2 s: whatever a killed process may lose, a power
/// loss may lose too); `no` leaves it to the kernel's writeback (30 s by default on Linux).
public struct FsyncSimulator: Sendable {
    public let fsync: PersistencePolicy.Fsync
    public let failure: PersistencePolicy.Failure
    public static let writebackMs: Int64 = 30_000
    public static let postponeMs: Int64 = 2_000

    public init(fsync: PersistencePolicy.Fsync, failure: PersistencePolicy.Failure) {
        self.fsync = fsync; self.failure = failure
    }

    /// How surely a write made within [loMs, hiMs] is missing from the AOF after a crash at `t`
    /// (assuming it was made before `t`).
    public func loss(loMs: Int64, hiMs: Int64, crashMs t: Int64) -> LossClass {
        guard failure == .power else {
            // everysec postpones the write while a background fsync runs (up to 2 s), and
            // replies meanwhile: what a killed process loses is that buffer.
            return fsync == .everysec && hiMs >= t - Self.postponeMs ? .possible : .none
        }
        switch fsync {
        case .always:
            return .none
        case .everysec:
            let crashSecond = t - Self.modulo(t, 1000)
            if loMs >= crashSecond { return .likely }
            return hiMs >= t - Self.postponeMs ? .possible : .none
        case .no:
            return hiMs >= t - Self.writebackMs ? .possible : .none
        }
    }

    /// The durable horizon, in words, for a crash at `t`.
    public func horizon(crashMs t: Int64) -> String {
        guard failure == .power else {
            return fsync == .everysec
                ? "the AOF as written to the kernel: a killed process loses only writes postponed behind a slow fsync "
                    + "(after \(UTCTime.iso(ms: t - Self.postponeMs)) at most)"
                : "the AOF as written to the kernel: a killed process loses no acknowledged write"
        }
        switch fsync {
        case .always: return "every acknowledged write (fsynced before the reply)"
        case .everysec:
            let crashSecond = t - Self.modulo(t, 1000)
            return "the last fsync, expected at \(UTCTime.iso(ms: crashSecond)) (the start of the crash's second), "
                + "at worst \(UTCTime.iso(ms: t - Self.postponeMs)) when an fsync was delayed and writes postponed behind it"
        case .no:
            return "kernel writeback: writes after \(UTCTime.iso(ms: t - Self.writebackMs)) may not have reached the disk"
        }
    }

    static func modulo(_ a: Int64, _ b: Int64) -> Int64 { ((a % b) + b) % b }
}

/// How surely one write is lost.
public enum LossClass: Int, Sendable, Comparable, CaseIterable {
    case none = 0
    /// Lost only under the worst case the evidence allows (unordered commands of one second, a
    /// delayed fsync, writeback, a write that may have come after the crash).
    case possible = 1
    /// Lost under the expected timing, not in every case.
    case likely = 2
    case certain = 3

    public static func < (a: LossClass, b: LossClass) -> Bool { a.rawValue < b.rawValue }

    public var name: String {
        switch self {
        case .none: "kept"
        case .possible: "possibly lost"
        case .likely: "likely lost"
        case .certain: "lost"
        }
    }
}
