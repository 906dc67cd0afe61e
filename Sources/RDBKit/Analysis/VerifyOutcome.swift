/// The result of verifying one input, an RDB or an AOF.
public enum VerifyOutcome: Sendable {
    case rdb(VerifyResult)
    case aof(AOFVerifyResult)

    public var verdict: VerifyResult.Verdict {
        switch self {
        case .rdb(let r): r.verdict
        case .aof(let r): r.verdict
        }
    }

    public var warningCount: Int {
        switch self {
        case .rdb(let r): r.warningCount
        case .aof(let r): r.warningCount
        }
    }

    public func text() -> String {
        switch self {
        case .rdb(let r): r.text()
        case .aof(let r): r.text()
        }
    }

    public func json() -> String {
        switch self {
        case .rdb(let r): r.json()
        case .aof(let r): r.json()
        }
    }
}

extension Verifier {
    /// An AOF by content (a directory, a manifest, RESP, an RDB marked as a preamble) gets the
    /// AOF verification, anything else the RDB one.
    public func verifyAny(path: String) -> VerifyOutcome {
        DatasetSource.isAOF(path) ? .aof(verifyAOF(path: path)) : .rdb(verify(path: path))
    }
}
