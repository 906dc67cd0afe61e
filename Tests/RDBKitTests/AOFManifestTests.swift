import Testing
@testable import RDBKit

@Suite struct AOFManifestTests {
    func parse(_ text: String) throws -> AOFManifest { try AOFManifest.parse(Array(text.utf8), file: "m") }

    func failure(_ text: String) -> AOFError? { aofError { _ = try parse(text) } }

    @Test func referenceExampleListsBaseHistoryAndIncrFiles() throws {
        let m = try parse("""
            file appendonly.aof.2.base.rdb seq 2 type b
            file appendonly.aof.1.incr.aof seq 1 type h
            file appendonly.aof.2.incr.aof seq 2 type h
            file appendonly.aof.3.incr.aof seq 3 type i
            file appendonly.aof.4.incr.aof seq 4 type i

            """)
        #expect(m.base?.name == "appendonly.aof.2.base.rdb")
        #expect(m.base?.sequence == 2)
        #expect(m.history.map(\.name) == ["appendonly.aof.1.incr.aof", "appendonly.aof.2.incr.aof"])
        #expect(m.incrs.map(\.sequence) == [3, 4])
        #expect(m.incrs.map(\.line) == [4, 5])
    }

    @Test func keysInAnyOrderAndCaseUnknownPairsAndCommentsAreAccepted() throws {
        let m = try parse("# written by hand\nSEQ 1 TYPE i FILE a.aof newkey newvalue\n")
        #expect(m.entries == [.init(name: "a.aof", sequence: 1, type: .incr, line: 2)])
    }

    @Test func quotedNamesUseCEscapes() throws {
        let m = try parse("file \"my \\x41of\\\"\" seq 1 type b\nfile 'it\\'s' seq 2 type i\n")
        #expect(m.entries.map(\.name) == ["my Aof\"", "it's"])
    }

    @Test func everyRuleOfTheServerLoaderIsEnforced() {
        #expect(failure("")?.found == "an empty manifest")
        #expect(failure("file a seq 1 type b\n\nfile b seq 2 type i\n")?.offset == 2)
        #expect(failure("file a seq 1 type b")?.found == "a last line without \\n")
        #expect(failure("file a seq 1\n")?.kind == .manifest)
        #expect(failure("file a seq 1 type b newkey\n")?.kind == .manifest)
        #expect(failure("file a seq 0 type b\n")?.kind == .manifest)
        #expect(failure("file a seq 1 type x\n")?.expected == "type b, h or i")
        #expect(failure("file d/a seq 1 type b\n")?.expected == "a file name without a path")
        #expect(failure("file a seq 1 type b\nfile b seq 2 type b\n")?.expected == "one base file")
        #expect(failure("file a seq 2 type i\nfile b seq 1 type i\n")?.found == "1 after 2")
        #expect(failure("file \"a seq 1 type b\n")?.kind == .manifest)
        #expect(failure("file " + String(repeating: "a", count: 1100) + " seq 1 type b\n")?.found == "a line of 1118 bytes")
    }

    @Test func sequenceIsReadAsAtollDoes() {
        #expect(AOFManifest.leadingInteger(Array("12abc".utf8)) == 12)
        #expect(AOFManifest.leadingInteger(Array("x".utf8)) == 0)
    }
}
