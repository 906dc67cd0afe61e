import Foundation
import Testing
@testable import RDBKit

/// Hand-made pairs for what a 7.0.15 server cannot write: hash field TTLs (RDB 12) and module
/// values, written with the RDB writer, compared by `rdbtool diff` end to end.
@Suite struct DiffWrittenPairTests {
    /// "MyModType", encoding version 5, as a module id.
    static let moduleID: UInt64 = {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return "MyModType".reduce(UInt64(0)) { $0 << 6 | UInt64(alphabet.firstIndex(of: $1) ?? 0) } << 10 | 5
    }()

    /// A module value whose opcode stream holds one unsigned integer (opcode 2) and the EOF.
    static func module(_ n: UInt8, id: UInt64 = moduleID) -> Value { .module(ModuleValue(moduleID: id, payload: [0x02, n, 0x00])) }

    static func hash(_ fields: [(String, String, Int64?)]) -> Value {
        var h = HashValue()
        h.fields = ByteList(fields.map { Array($0.0.utf8) })
        h.values = ByteList(fields.map { Array($0.1.utf8) })
        h.fieldExpiries = fields.map(\.2)
        return .hash(h)
    }

    static let side: [String: [(String, Value)]] = [
        "a": [("h", hash([("f1", "v1", 4_102_444_800_000), ("f2", "v2", nil), ("f3", "v3", 4_102_444_800_000), ("f4", "v4", 4_102_444_800_000)])),
              ("m:changed", module(5)), ("m:gone", module(1)), ("m:same", module(9)), ("m:version", module(3))],
        "b": [("h", hash([("f1", "v1", 4_102_444_801_000), ("f2", "v2", 4_102_444_800_000), ("f3", "v3", nil), ("f4", "V4", 4_102_444_800_000)])),
              ("m:changed", module(7)), ("m:new", module(2)), ("m:same", module(9)), ("m:version", module(3, id: moduleID + 1))],
    ]

    /// Writes both sides as RDB 12 into `dir`; returns their paths.
    static func pair(in dir: ScratchDirectory) throws -> (String, String) {
        var paths: [String] = []
        for name in ["a", "b"] {
            let path = dir.path + "/\(name).rdb"
            let w = try RDBWriter(path: path, options: RDBWriter.Options(version: 12))
            for (key, value) in side[name] ?? [] {
                try w.write(KeyRecord(db: 0, key: Array(key.utf8), value: value, expireAtMs: nil,
                                      metadata: RecordMetadata(encoding: .raw, typeByte: 0)))
            }
            try w.finish()
            paths.append(path)
        }
        return (paths[0], paths[1])
    }

    @Test func textNamesEveryFieldTTLAndModuleChange() throws {
        let dir = try ScratchDirectory()
        let (a, b) = try Self.pair(in: dir)
        let r = try CLITests.run(["diff", "--color", "never", a, b])
        #expect(r.status == 1)
        #expect(r.out == """
            ~ db0 "h" (hash): value, field TTLs
                ~ field ttl "f1": 2100-01-01T00:00:00.000Z -> 2100-01-01T00:00:01.000Z
                ~ field ttl "f2": none -> 2100-01-01T00:00:00.000Z
                ~ field ttl "f3": 2100-01-01T00:00:00.000Z -> none
                ~ field "f4": "v4" -> "V4"
            ~ db0 "m:changed" (module): value
                ~ module value: MyModType v5, 3 bytes, from byte 1: 05 00 -> MyModType v5, 3 bytes, from byte 1: 07 00
            - db0 "m:gone" (module) = MyModType v5, 3 bytes
            + db0 "m:new" (module) = MyModType v5, 3 bytes
            ~ db0 "m:version" (module): value
                ~ module value: MyModType v5, 3 bytes -> MyModType v6, 3 bytes
            1 added, 1 removed, 3 changed (type 0, value 3, TTL 0, field TTLs 1), 1 unchanged, 5 keys in A, 5 in B

            """)
    }

    @Test func jsonlRecordsCarryTheSameDetails() throws {
        let dir = try ScratchDirectory()
        let (a, b) = try Self.pair(in: dir)
        let r = try CLITests.run(["diff", "--format", "jsonl", a, b])
        #expect(r.status == 1)
        #expect(r.out == """
            {"db":0,"key":"h","change":"changed","aspects":["value","field_ttl"],"type_a":"hash","type_b":"hash","expire_ms_a":null,"expire_ms_b":null,"details":[{"op":"~","what":"field ttl","name":"f1","a":4102444800000,"b":4102444801000},{"op":"~","what":"field ttl","name":"f2","a":null,"b":4102444800000},{"op":"~","what":"field ttl","name":"f3","a":4102444800000,"b":null},{"op":"~","what":"field","name":"f4","a":"v4","b":"V4"}]}
            {"db":0,"key":"m:changed","change":"changed","aspects":["value"],"type_a":"module","type_b":"module","expire_ms_a":null,"expire_ms_b":null,"details":[{"op":"~","what":"module value","a":"MyModType v5, 3 bytes, from byte 1: 05 00","b":"MyModType v5, 3 bytes, from byte 1: 07 00"}]}
            {"db":0,"key":"m:gone","change":"removed","aspects":[],"type_a":"module","type_b":null,"expire_ms_a":null,"expire_ms_b":null,"details":[{"op":"~","what":"value","a":"MyModType v5, 3 bytes"}]}
            {"db":0,"key":"m:new","change":"added","aspects":[],"type_a":null,"type_b":"module","expire_ms_a":null,"expire_ms_b":null,"details":[{"op":"~","what":"value","a":"MyModType v5, 3 bytes"}]}
            {"db":0,"key":"m:version","change":"changed","aspects":["value"],"type_a":"module","type_b":"module","expire_ms_a":null,"expire_ms_b":null,"details":[{"op":"~","what":"module value","a":"MyModType v5, 3 bytes","b":"MyModType v6, 3 bytes"}]}

            """)
    }
}
