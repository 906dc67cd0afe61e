import Testing
@testable import RDBKit

private func matches(_ pattern: String, _ key: String) -> Bool {
    KeyFilter.globMatches(pattern: ascii(pattern), ascii(key))
}

private func record(_ key: String, _ value: Value = .string(ascii("v")), db: Int = 0, expireAtMs: Int64? = nil,
                    serializedBytes: Int64 = 10) -> KeyRecord {
    KeyRecord(db: db, key: ascii(key), value: value, expireAtMs: expireAtMs,
              metadata: RecordMetadata(encoding: .raw, typeByte: 0, serializedBytes: serializedBytes))
}

@Suite struct KeyFilterTests {
    // MARK: Glob, after Redis's own tests (tests/unit/keyspace.tcl) and stringmatchlen's code

    @Test func keysWithPatternSelectsByPrefix() {
        let keys = ["key_x", "key_y", "key_z", "foo_a", "foo_b", "foo_c"]
        #expect(keys.filter { matches("foo*", $0) } == ["foo_a", "foo_b", "foo_c"])
    }

    @Test func loneStarMatchesEveryKeyIncludingTheEmptyOne() {
        #expect(matches("*", ""))
        #expect(KeyFilter.globMatches(pattern: ascii("*"), [0xFF, 0x00]))
        // Without the server's shortcut, stringmatchlen itself never matches an empty key.
        #expect(!matches("**", ""))
        #expect(!matches("?", ""))
        #expect(matches("", ""))
        #expect(!matches("", "a"))
    }

    @Test func regressionLongNestedLoopsEndWithoutMatch() {
        let key = String(repeating: "a", count: 40)
        #expect(!matches("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", key))
    }

    @Test func regressionVeryLongNestedLoopsGiveUpPastTheNestingLimit() {
        // A plain glob engine would match; the server stops at 1000 nested `*` and does not.
        #expect(!matches(String(repeating: "*?", count: 50_000), String(repeating: "a", count: 50_000)))
    }

    @Test func questionMarkMatchesExactlyOneByte() {
        #expect(matches("h?llo", "hello"))
        #expect(matches("h?llo", "hallo"))
        #expect(!matches("h?llo", "hllo"))
        #expect(KeyFilter.globMatches(pattern: ascii("h?llo"), [0x68, 0xFF, 0x6C, 0x6C, 0x6F]))
    }

    @Test func starMatchesAnyRunIncludingNone() {
        #expect(matches("h*llo", "hllo"))
        #expect(matches("h*llo", "heeeello"))
        #expect(matches("a*", "a"))
        #expect(matches("a**", "a"))
        #expect(matches("*b*", "abc"))
        #expect(!matches("*a", "abc"))
    }

    @Test func classMatchesListedBytesAndNegates() {
        #expect(matches("h[ae]llo", "hello"))
        #expect(matches("h[ae]llo", "hallo"))
        #expect(!matches("h[ae]llo", "hillo"))
        #expect(matches("h[^e]llo", "hallo"))
        #expect(!matches("h[^e]llo", "hello"))
    }

    @Test func rangesWorkInEitherDirection() {
        #expect(matches("h[a-b]llo", "hbllo"))
        #expect(matches("h[b-a]llo", "hallo"))
        #expect(!matches("h[a-b]llo", "hcllo"))
    }

    @Test func rangeBoundsCompareAsSignedCharsAsOnX86() {
        // 0xFF is -1 as a signed char, so [a-\xff] spans -1...97: '0' is in it, 'b' is not.
        let pattern = ascii("[a-") + [0xFF] + ascii("]")
        #expect(KeyFilter.globMatches(pattern: pattern, ascii("0")))
        #expect(!KeyFilter.globMatches(pattern: pattern, ascii("b")))
        #expect(KeyFilter.globMatches(pattern: pattern, [0xFF]))
    }

    @Test func emptyClassNeverMatchesAndItsNegationMatchesAnyByte() {
        #expect(!matches("[]", "a"))
        #expect(matches("[^]", "a"))
    }

    @Test func rangeWithoutEndTakesTheClosingBracketAsItsBound() {
        // "[a-]" is the range ']'...'a' running to the pattern's end, as in the C code.
        #expect(matches("[a-]", "a"))
        #expect(matches("[a-]", "^"))
        #expect(!matches("[a-]", "-"))
    }

    @Test func unterminatedClassEndsWithThePattern() {
        #expect(matches("[abc", "b"))
        #expect(!matches("[abc", "d"))
        #expect(matches("x[^", "xq"))
    }

    @Test func backslashEscapesSpecialBytes() {
        #expect(matches(#"h\*llo"#, "h*llo"))
        #expect(!matches(#"h\*llo"#, "hello"))
        #expect(matches(#"\?"#, "?"))
        #expect(!matches(#"\?"#, "a"))
        #expect(matches(#"[\]]"#, "]"))
        #expect(matches(#"[\-]"#, "-"))
        #expect(matches(#"a\"#, #"a\"#))
    }

    @Test func bytesAreMatchedAsBytes() {
        #expect(KeyFilter.globMatches(pattern: [0xFF] + ascii("*"), [0xFF, 0x00, 0x01]))
        #expect(!KeyFilter.globMatches(pattern: [0xFE] + ascii("*"), [0xFF, 0x00]))
    }

    @Test func matchingIsCaseSensitive() {
        #expect(!matches("FOO*", "foo_a"))
    }

    // MARK: Filter criteria

    @Test func emptyFilterAcceptsEverything() throws {
        let f = try KeyFilter(now: 0)
        #expect(f.accepts(record("k", db: 7, expireAtMs: -5)))
    }

    @Test func databasesAreSelected() throws {
        let f = try KeyFilter(dbs: [0, 2])
        #expect(f.acceptsKey(db: 2, key: ascii("k")))
        #expect(!f.acceptsKey(db: 1, key: ascii("k")))
    }

    @Test func anyGlobMaySelectAKey() throws {
        let f = try KeyFilter(globs: [ascii("user:*"), ascii("session:?")])
        #expect(f.acceptsKey(db: 0, key: ascii("user:1")))
        #expect(f.acceptsKey(db: 0, key: ascii("session:9")))
        #expect(!f.acceptsKey(db: 0, key: ascii("session:10")))
    }

    @Test func regexIsSearchedInTheKeyDecodedAsUTF8() throws {
        let f = try KeyFilter(regex: "^user:[0-9]+$")
        #expect(f.acceptsKey(db: 0, key: ascii("user:42")))
        #expect(!f.acceptsKey(db: 0, key: ascii("user:x")))
        let anywhere = try KeyFilter(regex: "é|\u{FFFD}")
        #expect(anywhere.acceptsKey(db: 0, key: Array("café".utf8)))
        #expect(anywhere.acceptsKey(db: 0, key: [0x61, 0xFF]))  // invalid UTF-8 decodes to U+FFFD
        #expect(!anywhere.acceptsKey(db: 0, key: ascii("cafe")))
    }

    @Test func invalidRegexIsReported() {
        #expect(throws: KeyFilter.InvalidRegex.self) { try KeyFilter(regex: "(unclosed") }
    }

    @Test func typesAreSelected() throws {
        let f = try KeyFilter(types: [.hash, .zset])
        #expect(f.accepts(record("h", .hash(HashValue()))))
        #expect(!f.accepts(record("s", .string(ascii("v")))))
    }

    @Test func expiredKeysAreSkippedWhenAsked() throws {
        let f = try KeyFilter(skipExpired: true, now: 1_000)
        #expect(!f.accepts(record("past", expireAtMs: 999)))
        #expect(f.accepts(record("now", expireAtMs: 1_000)))
        #expect(f.accepts(record("future", expireAtMs: 1_001)))
        #expect(f.accepts(record("persistent")))
        #expect(try KeyFilter(now: 1_000).accepts(record("past", expireAtMs: 999)))
    }

    @Test func smallRecordsAreSkippedBelowMinBytes() throws {
        let f = try KeyFilter(minBytes: 100)
        #expect(f.accepts(record("big", serializedBytes: 100)))
        #expect(!f.accepts(record("small", serializedBytes: 99)))
    }

    @Test func keyCriteriaApplyToWholeRecordsToo() throws {
        let f = try KeyFilter(dbs: [1], globs: [ascii("a*")])
        #expect(f.accepts(record("ab", db: 1)))
        #expect(!f.accepts(record("ab", db: 0)))
        #expect(!f.accepts(record("ba", db: 1)))
    }

    @Test func shapesAreJudgedByTheSameCriteriaAsRecords() throws {
        let filter = try KeyFilter(globs: [ascii("user:*")], types: [.hash], minBytes: 10)
        func shape(_ key: String, _ type: DataType, bytes: Int64) -> KeyShape {
            KeyShape(db: 0, key: ascii(key), type: type, expireAtMs: nil, elementCount: 1, longestElement: 1,
                     metadata: RecordMetadata(encoding: .listpack, typeByte: 16, serializedBytes: bytes))
        }
        #expect(filter.accepts(shape("user:1", .hash, bytes: 10)))
        #expect(!filter.accepts(shape("user:1", .set, bytes: 10)))
        #expect(!filter.accepts(shape("item:1", .hash, bytes: 10)))
        #expect(!filter.accepts(shape("user:1", .hash, bytes: 9)))
    }
}
