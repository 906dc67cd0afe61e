/// How old the snapshot a restart finds in place can be, whatever the phase of the save
/// schedule (format.md §8.2). Had a snapshot holding only the writes before second S still been
/// the newest at T, a save point would have forked another once its changes and its seconds had
/// passed (at the next tick, up to `SnapshotSimulator.lateTickMs` late, once the previous child
/// was noticed), and that one would be in place by T.
///
/// `SnapshotSimulator`'s readings each carry one phase forward, save after save. Where
/// count-triggered saves follow one another, every save may hold anything from none to two
/// seconds of the writes after the one that made it due, so the phases the evidence allows
/// spread with every save and the readings' bands with them: after a day of `60 10000` they
/// would span many saves. This bound does not grow with the history: one save's changes or
/// seconds, a tick, a notice and a duration.
///
/// It holds for a history timed to the second (`#TS:`), without failed saves or given snapshot
/// times, which it does not model. The seconds are kept once and asked under each candidate's
/// save points (`plan`).
struct StalenessBound: Sendable {
    /// A second of the history with commands in it.
    struct Second: Sendable {
        var second: Int64
        /// Its first command's index, and the writes (not SELECT, MULTI or EXEC) before it.
        var first: Int
        var writesBefore: Int
        /// The changes (`dirty`) before its first command.
        var dirtyBefore: Int64
    }

    /// `lastsave` at the start of the history, Unix seconds.
    let startedSeconds: Int64
    private(set) var seconds: [Second] = []
    private var dirtyTotal: Int64 = 0

    init(startedSeconds: Int64) {
        self.startedSeconds = startedSeconds
    }

    /// The next second with commands: its first is command `first`, with `writesBefore` writes
    /// before it; its commands made `dirty` changes in all.
    mutating func append(second: Int64, first: Int, writesBefore: Int, dirty: Int64) {
        seconds.append(Second(second: second, first: first, writesBefore: writesBefore, dirtyBefore: dirtyTotal))
        dirtyTotal += dirty
    }

    /// The second whose start is the oldest cut a snapshot in place at `t` can have under
    /// `savePoints`, for saves taking at most `durationMs`; nil when no second with commands has
    /// begun by `t`.
    func oldest(atMs t: Int64, savePoints: [PersistencePolicy.SavePoint], durationMs: Int64) -> Second? {
        // Seconds begun by `t`: their commands may precede the crash.
        var lo = 0, hi = seconds.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if seconds[mid].second * 1000 <= t { lo = mid + 1 } else { hi = mid }
        }
        let begun = lo
        guard begun > 0 else { return nil }
        // The first second whose start survives; a cut inside the second before it may still.
        lo = 0; hi = begun
        while lo < hi {
            let mid = (lo + hi) / 2
            if supersededBy(startOf: mid, savePoints: savePoints, durationMs: durationMs) <= t { lo = mid + 1 } else { hi = mid }
        }
        return seconds[max(lo - 1, 0)]
    }

    /// When a snapshot holding exactly the commands before second `k` is at the latest replaced
    /// by a newer one; `Int64.max` when the history so far forces no newer one.
    private func supersededBy(startOf k: Int, savePoints: [PersistencePolicy.SavePoint], durationMs: Int64) -> Int64 {
        let s = seconds[k]
        let tickMs = 100 + SnapshotSimulator.lateTickMs
        // Its child forked before command `first` and was noticed a tick after it was done;
        // holding nothing of the history, it is the dump the server started with.
        let noticed = s.first == 0 ? Int64.min : s.second * 1000 + 999 + durationMs + tickMs
        let lastsave = s.first == 0 ? startedSeconds : SnapshotSimulator.second(noticed)
        var earliest = Int64.max
        for p in savePoints {
            guard let full = second(whereChangesReach: s.dirtyBefore + p.changes, from: k) else { continue }
            let due = max(seconds[full].second * 1000 + 999, (lastsave + p.seconds + 1) * 1000, noticed)
            earliest = min(earliest, due + tickMs + durationMs)
        }
        return earliest
    }

    /// The first second from `k` by whose end the changes reach `target`.
    private func second(whereChangesReach target: Int64, from k: Int) -> Int? {
        func after(_ j: Int) -> Int64 { j + 1 < seconds.count ? seconds[j + 1].dirtyBefore : dirtyTotal }
        guard after(seconds.count - 1) >= target else { return nil }
        var lo = k, hi = seconds.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if after(mid) >= target { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
