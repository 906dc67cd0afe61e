/// A command the replayer could not apply. An AOF never holds a failing write, so any of these
/// means the file and our semantics disagree (or the command is one we cannot replay): the caller
/// fills in where the command was (`file`, `offset`, `timeMs`) and reports it.
public struct ReplayError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A command the replayer does not implement (pre-5.0 EVAL, module commands, unknown).
        case unsupported
        /// Redis's WRONGTYPE: the key holds another type.
        case wrongType = "wrong-type"
        /// Wrong arity, unknown option, option combination Redis refuses.
        case syntax
        /// An argument or stored value that Redis would not accept as a number.
        case notANumber = "not-a-number"
        /// Overflow, out-of-range index or offset, NaN or infinity produced.
        case outOfRange = "out-of-range"
        /// A key, member, group or consumer the command needs is missing.
        case noSuchKey = "no-such-key"
        /// The target exists where Redis requires it not to (RESTORE without REPLACE, XGROUP CREATE).
        case exists
        /// A RESTORE payload or FUNCTION RESTORE blob that fails its checks.
        case badPayload = "bad-payload"
    }

    public var kind: Kind
    /// The command name as written in the file.
    public var command: String
    public var reason: String
    /// Where the command is; filled in by the caller that knows.
    public var file: String?
    public var offset: Int64?
    public var timeMs: Int64?

    public init(_ kind: Kind, command: String, reason: String) {
        self.kind = kind; self.command = command; self.reason = reason
    }

    public var description: String {
        var s = "\(kind.rawValue): \(command): \(reason)"
        if let file { s += " (\(file)" + (offset.map { " at offset \($0)" } ?? "") + ")" }
        else if let offset { s += " (at offset \(offset))" }
        if let timeMs { s += " [time \(timeMs) ms]" }
        return s
    }
}
