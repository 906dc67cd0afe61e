import Foundation
@testable import RDBKit

/// A JSONL dataset compared as `shared/tools/jsonl-compare` does: records keyed by (db, key)
/// (functions by library), line order ignored, numbers compared by value. Writers and truth
/// files both sort what the contract says is sorted, so records compare as parsed JSON.
struct JSONLDataset {
    var records: [String: NSDictionary] = [:]

    init(_ data: Data) throws {
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            guard let obj = try JSONSerialization.jsonObject(with: Data(line)) as? NSDictionary else {
                throw CompareError(message: "not a JSON object: \(String(decoding: line.prefix(80), as: UTF8.self))")
            }
            records[Self.identity(obj)] = obj
        }
    }

    init(contentsOf path: String) throws { try self.init(Data(contentsOf: URL(fileURLWithPath: path))) }

    static func identity(_ obj: NSDictionary) -> String {
        if obj["type"] as? String == "function" { return "function:\(obj["library"] ?? "")" }
        return "\(obj["db"] ?? ""):\(obj["key"] ?? "")"
    }

    /// Differences, empty when equal; `ignoring` drops those fields at any depth.
    func differences(from other: JSONLDataset, ignoring: Set<String> = []) -> [String] {
        var out: [String] = []
        for (id, a) in records.sorted(by: { $0.key < $1.key }) {
            guard let b = other.records[id] else { out.append("missing in second: \(id)"); continue }
            let x = Self.strip(a, ignoring), y = Self.strip(b, ignoring)
            if !x.isEqual(y) { out.append("differs: \(id)\n  first:  \(Self.text(x))\n  second: \(Self.text(y))") }
        }
        for id in other.records.keys.sorted() where records[id] == nil { out.append("extra in second: \(id)") }
        return out
    }

    static func strip(_ v: Any, _ fields: Set<String>) -> NSObject {
        if let d = v as? NSDictionary {
            let m = NSMutableDictionary()
            for (k, val) in d where !fields.contains(k as? String ?? "") { if let key = k as? AnyHashable { m[key] = strip(val, fields) } }
            return m
        }
        if let a = v as? NSArray { return NSArray(array: a.map { strip($0, fields) }) }
        return v as? NSObject ?? NSNull()
    }

    static func text(_ v: Any) -> String {
        guard let d = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .fragmentsAllowed]) else { return "\(v)" }
        return String(decoding: d.prefix(400), as: UTF8.self)
    }

    struct CompareError: Error { let message: String }
}

/// Runs the library's JSONL dump of a file, as `rdbtool dump --format jsonl` does.
func dumpJSONL(_ path: String, withMetadata: Bool = false) throws -> Data {
    try render(path) { JSONLWriter(output: $0, withMetadata: withMetadata) }
}

/// Every record of a file through the writer `make` builds, as `rdbtool dump` does.
func render(_ path: String, _ make: (OutputBuffer) -> RecordWriter) throws -> Data {
    let out = OutputBuffer()
    let writer = make(out)
    try writer.begin()
    try RDBReader(path: path).read { event in
        switch event {
        case .key(let r): try writer.write(r)
        case .function(let f): try writer.write(f)
        default: break
        }
    }
    try writer.finish()
    return Data(out.bytes)
}

enum Paths {
    /// The package root, from this file's location.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let fixtures = root + "/Fixtures"
    static let shared = URL(fileURLWithPath: root + "/../shared").standardizedFileURL.path
    static var sharedPresent: Bool { FileManager.default.fileExists(atPath: shared + "/corpus/generated") }

    static func files(under dir: String, where keep: (String) -> Bool) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        return e.compactMap { $0 as? String }.filter(keep).map { dir + "/" + $0 }.sorted()
    }
}

/// The replayed dataset as JSONL, as `dump --format jsonl` writes records.
func replayJSONL(_ dataset: Dataset, now: Int64?) throws -> Data {
    let out = OutputBuffer()
    let writer = JSONLWriter(output: out)
    try writer.begin()
    try dataset.records(now: now) { try writer.write($0) }
    for l in dataset.functionLibraries { try writer.write(l) }
    try writer.finish()
    return Data(out.bytes)
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
