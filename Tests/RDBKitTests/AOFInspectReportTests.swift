import Foundation
import Testing
@testable import RDBKit

@Suite struct AOFInspectReportTests {
    func report(_ files: [(String, [UInt8])], manifest: String? = nil, error: AOFError? = nil) throws -> AOFInspectReport {
        let dir = try ScratchDirectory()
        for (name, bytes) in files { try dir.write("d/" + name, bytes) }
        if let manifest { try dir.write("d/appendonly.aof.manifest", manifest) }
        let path = manifest == nil ? dir.path + "/d/" + files[0].0 : dir.path + "/d"
        let reader = try AOFReader(path: path)
        var builder = AOFSummaryBuilder(layout: reader.layout)
        try reader.read { builder.consume($0) }
        return AOFInspectReport(summary: builder.finish(bytesRead: 0), elapsedSeconds: 0, error: error)
    }

    @Test func textListsPartsTimeSpanAndCommands() throws {
        let r = try report([("appendonly.aof.1.incr.aof", ascii("#TS:1628217470\r\n") + resp("SET", "a", "1"))],
                           manifest: "file appendonly.aof.1.incr.aof seq 1 type i\n")
        let lines = r.text().split(separator: "\n").map(String.init)
        #expect(lines.contains("parts       incr   appendonly.aof.1.incr.aof  seq 1  43 bytes  1 commands"))
        #expect(lines.contains("time span   2021-08-06T02:37:50Z .. 2021-08-06T02:37:50Z (1 #TS annotations)"))
        #expect(lines.contains("1 commands in 1 database(s), 0 MULTI/EXEC block(s)"))
        #expect(lines.contains("by command  SET 1"))
    }

    @Test func jsonCarriesTheSameFacts() throws {
        let r = try report([("x.aof", resp("SET", "a", "1") + Array(resp("SET", "b", "2").prefix(5)))])
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.json().utf8)) as? [String: Any])
        #expect(obj["format"] as? String == "single")
        #expect(obj["commands"] as? Int == 1)
        #expect((obj["by_command"] as? [String: Int]) == ["SET": 1])
        #expect((obj["tail"] as? [String: Any])?["kind"] as? String == "truncated")
        #expect((obj["tail"] as? [String: Any])?["valid_up_to"] as? Int == 27)
    }
}
