import Foundation
@testable import RDBKit

/// TEST SUPPORT ONLY: a minimal AOF splitter (RESP multi-bulk commands and `#TS:` lines) so the
/// replay tests can run before the real AOF tokenizer lands; that tokenizer replaces it.
enum RESPSplitter {
    struct Command { var argv: [[UInt8]]; var timeMs: Int64? }

    static func commands(_ b: [UInt8], from start: Int = 0) throws -> [Command] {
        var out: [Command] = []
        var i = start
        var time: Int64?
        func line() throws -> ArraySlice<UInt8> {
            guard let cr = b[i...].firstIndex(of: 0x0D), cr + 1 < b.count, b[cr + 1] == 0x0A else { throw SplitError(offset: i) }
            defer { i = cr + 2 }
            return b[i..<cr]
        }
        while i < b.count {
            if b[i] == UInt8(ascii: "#") {
                let l = try line()
                if let s = Int64(String(decoding: l.dropFirst(4), as: UTF8.self)) { time = s * 1000 }
                continue
            }
            guard b[i] == UInt8(ascii: "*"), let n = Int(String(decoding: try line().dropFirst(), as: UTF8.self)) else {
                throw SplitError(offset: i)
            }
            var argv: [[UInt8]] = []
            for _ in 0..<n {
                guard b[i] == UInt8(ascii: "$"), let len = Int(String(decoding: try line().dropFirst(), as: UTF8.self)),
                      i + len + 2 <= b.count else { throw SplitError(offset: i) }
                argv.append(Array(b[i..<(i + len)]))
                i += len + 2
            }
            out.append(Command(argv: argv, timeMs: time))
            time = nil
        }
        return out
    }

    struct SplitError: Error { let offset: Int }
}

/// Replays an AOF folder as a server loading it would: a 7.0+ manifest's base (RDB or RESP) and
/// incr files, or a single `appendonly.aof` with an optional RDB preamble.
func replayAOFDirectory(_ dir: String, options: Replayer.Options = .init()) throws -> Replayer {
    let replayer = Replayer(options: options)
    var files: [String] = []
    let manifest = dir + "/appendonlydir/appendonly.aof.manifest"
    if FileManager.default.fileExists(atPath: manifest) {
        let lines = try String(contentsOfFile: manifest, encoding: .utf8).split(separator: "\n")
        let entries = lines.compactMap { l -> (String, String)? in
            let w = l.split(separator: " ")
            guard let f = w.firstIndex(of: "file"), let t = w.firstIndex(of: "type") else { return nil }
            return (String(w[f + 1]), String(w[t + 1]))
        }
        files = entries.filter { $0.1 == "b" }.map { dir + "/appendonlydir/" + $0.0 }
            + entries.filter { $0.1 == "i" }.map { dir + "/appendonlydir/" + $0.0 }
    } else {
        files = [dir + "/appendonly.aof"]
    }
    for f in files {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: f)))
        var start = 0
        if bytes.starts(with: Array("REDIS".utf8)) {
            try RDBReader(input: BufferedReader(MemorySource(bytes))).read { e in
                switch e {
                case .key(let r): replayer.dataset.load(r)
                case .function(let l): replayer.dataset.load(l)
                case .end(let t): start = Int(t.eofOffset) + 1 + (t.storedChecksum == nil ? 0 : 8)
                default: break
                }
            }
        }
        for c in try RESPSplitter.commands(bytes, from: start) { _ = try replayer.apply(c.argv, timeMs: c.timeMs) }
        replayer.discardTransaction()
    }
    return replayer
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
