import Foundation
@testable import RDBKit

/// A scratch directory for AOF files written by a test, removed when it goes away.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("rdbtool-aof-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` (subdirectories created) and returns the full path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = path + "/" + name
        try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }
}

/// RESP for one command, as servers write it (format.md §7.1).
func resp(_ args: String...) -> [UInt8] { resp(args.map { Array($0.utf8) }) }

func resp(_ args: [[UInt8]]) -> [UInt8] {
    var out = Array("*\(args.count)\r\n".utf8)
    for a in args { out += Array("$\(a.count)\r\n".utf8) + a + Array("\r\n".utf8) }
    return out
}

/// Every event of an AOF, read with `options`.
func aofEvents(_ path: String, options: AOFReader.Options = .init()) throws -> [AOFEvent] {
    var out: [AOFEvent] = []
    try AOFReader(path: path, options: options).read { out.append($0) }
    return out
}

func commands(_ events: [AOFEvent]) -> [AOFCommand] {
    events.compactMap { if case .command(let c) = $0 { c } else { nil } }
}

/// Arguments as text, for compact expectations.
func words(_ c: AOFCommand) -> [String] { c.arguments.map { String(decoding: $0, as: UTF8.self) } }

func aofError(_ body: () throws -> Void) -> AOFError? {
    do { try body(); return nil } catch { return error as? AOFError }
}
