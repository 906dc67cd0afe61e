import ArgumentParser
import RDBKit

/// Exit statuses shared by every subcommand (README, man page: EXIT STATUS).
enum ExitStatus {
    static let ok: Int32 = 0
    /// The input is damaged (truncated, checksum mismatch, structural fault, unknown type/opcode).
    static let damaged: Int32 = 1
    /// Bad command line (swift-argument-parser's own validation exit code).
    static let usage: Int32 = 2
    /// An input could not be read (missing, unreadable, an I/O error).
    static let unreadable: Int32 = 3
    /// A version or feature this build does not support.
    static let unsupported: Int32 = 4

    static func of(_ e: RDBError) -> Int32 {
        switch e.kind {
        case .io: unreadable
        case .unsupportedVersion, .unsupportedFeature: unsupported
        case .truncated, .checksumMismatch, .structural, .unknownType, .unknownOpcode, .notRDB: damaged
        }
    }

    /// A configuration, candidates or snapshot file of `crash-report` and `plan`.
    static func of(_ e: CrashError) -> Int32 {
        e.kind == .unreadable ? unreadable : damaged
    }

    static func of(_ e: AOFError) -> Int32 {
        switch e.kind {
        case .io: unreadable
        case .rdb: e.rdbError.map(of) ?? damaged
        case .truncated, .structural, .lineEndings, .zeroPadding, .openTransaction, .manifest, .missingFile, .notAOF: damaged
        }
    }
}

/// Prints an error on stderr prefixed with the input's name and exits with its status.
func fail(_ path: String, _ e: Error) -> ExitCode {
    if let e = e as? RDBError {
        Console.error("\(path): \(e)")
        return ExitCode(ExitStatus.of(e))
    }
    if let e = e as? AOFError {
        // The error names its file: repeat the path only when it is another one.
        Console.error(e.file == path ? "\(e)" : "\(path): \(e)")
        return ExitCode(ExitStatus.of(e))
    }
    if let e = e as? OutputError, e.isBrokenPipe { return ExitCode(ExitStatus.ok) }
    Console.error("\(path): \(e)")
    return ExitCode(ExitStatus.unreadable)
}
