import Testing
@testable import RDBKit

@Suite struct RESPCommandReaderTests {
    func reader(_ bytes: [UInt8], tolerant: Bool = false) -> RESPCommandReader {
        RESPCommandReader(input: BufferedReader(MemorySource(bytes)), file: "t.aof", tolerateLineFeeds: tolerant)
    }

    /// Every item as text: commands as their words, annotations as `#<ts>`.
    func items(_ bytes: [UInt8], tolerant: Bool = false) throws -> [String] {
        let r = reader(bytes, tolerant: tolerant)
        var out: [String] = []
        while true {
            switch try r.next() {
            case .end: return out
            case .command: out.append(r.arguments.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " "))
            case .annotation(let ts): out.append("#\(ts.map(String.init) ?? "-")")
            case .unterminatedAnnotation: out.append("#cut")
            }
        }
    }

    func failure(_ bytes: [UInt8], tolerant: Bool = false) -> AOFError? {
        aofError { _ = try items(bytes, tolerant: tolerant) }
    }

    @Test func setCommandFromTheReferenceExample() throws {
        let bytes = hex("2A 33 0D 0A 24 33 0D 0A 53 45 54 0D 0A 24 31 0D 0A 6B 0D 0A 24 31 0D 0A 76 0D 0A")
        let r = reader(bytes)
        #expect(try r.next() == .command)
        #expect(strings(r.arguments) == ["SET", "k", "v"])
        #expect(r.itemOffset == 0)
        #expect(r.itemBytes == 27)
        #expect(try r.next() == .end)
    }

    @Test func emptyAndBinaryArgumentsAreKeptAsBytes() throws {
        let r = reader(resp([Array("SET".utf8), [], [0x00, 0xFF, 0x0D, 0x0A]]))
        #expect(try r.next() == .command)
        #expect(r.arguments.map(Array.init) == [Array("SET".utf8), [], [0x00, 0xFF, 0x0D, 0x0A]])
    }

    @Test func timestampAnnotationsGiveUnixSeconds() throws {
        let bytes = ascii("#TS:1628217470\r\n") + resp("SET", "foo1", "bar1") + ascii("#other note\r\n")
        #expect(try items(bytes) == ["#1628217470", "SET foo1 bar1", "#-"])
    }

    /// No server's clock reads 9e18 s: such a time would overflow in ms, so it is no time.
    @Test func aTimestampBeyondAnyClockIsAPlainAnnotation() throws {
        let bytes = ascii("#TS:9223372036854775807\r\n#TS:-2000000000000001\r\n#TS:2000000000000000\r\n")
        #expect(try items(bytes) == ["#-", "#-", "#2000000000000000"])
    }

    @Test func anEmptyFileHasNoItems() throws {
        #expect(try items([]) == [])
    }

    @Test func endInsideACommandIsATruncationAtTheEndOfInput() {
        let whole = resp("SET", "foo", "hello") + resp("SET", "bar", "world")
        for cut in [whole.count - 1, whole.count - 3, 34, 36, 40] {
            let e = failure(Array(whole.prefix(cut)))
            #expect(e?.kind == .truncated, "cut at \(cut)")
            #expect(e?.offset == Int64(cut))
            #expect(e?.commandOffset == 33)
        }
    }

    @Test func garbageWhereACommandStartsIsStructural() {
        let e = failure(resp("SET", "foo", "hello") + ascii("!!!") + resp("SET", "foo", "hello"))
        #expect(e?.kind == .structural)
        #expect(e?.offset == 33)
        #expect(e?.expected == "'*' starting a command or '#' an annotation")
    }

    @Test func aWrongBulkLengthIsCaughtAtTheNextPrefix() {
        // `$3` claims 3 bytes of "SETX": the 'X' is then where `\r\n` must be.
        let e = failure(ascii("*1\r\n$3\r\nSETX\r\n"))
        #expect(e?.kind == .structural)
        #expect(e?.offset == 11)
    }

    @Test func argumentCountMustBePositive() {
        #expect(failure(ascii("*0\r\n"))?.kind == .structural)
        #expect(failure(ascii("*-1\r\n"))?.kind == .structural)
        #expect(failure(ascii("*\r\n"))?.kind == .structural)
    }

    @Test func aHugeLengthClaimFailsAtTheEndOfInputWithoutAllocatingIt() {
        let e = failure(ascii("*1\r\n$999999999999\r\nabc"))
        #expect(e?.kind == .truncated)
        #expect(e?.offset == 22)
    }

    @Test func absurdCountsAndLengthsAreStructural() {
        #expect(failure(ascii("*99999999999\r\n"))?.kind == .structural)
        #expect(failure(ascii("*1\r\n$99999999999999999999\r\n"))?.kind == .structural)
    }

    @Test func lineFeedOnlyFilesAreRefusedByDefault() {
        let e = failure(ascii("*1\n$4\nPING\n"))
        #expect(e?.kind == .lineEndings)
        #expect(e?.offset == 2)
    }

    @Test func lineFeedOnlyFilesAreReadTolerantly() throws {
        let bytes = ascii("*2\n$6\nSELECT\n$1\n0\n*3\r\r\n$5\r\r\nrpush\r\r\n$6\r\r\nmylist\r\r\n$2\r\r\n11\r\r\n")
        #expect(try items(bytes, tolerant: true) == ["SELECT 0", "rpush mylist 11"])
        let r = reader(bytes, tolerant: true)
        _ = try r.next()
        #expect(r.firstLineFeedOnly == 2)
    }

    @Test func aZeroFilledTailIsReportedApart() {
        let e = failure(resp("SET", "a", "1") + [UInt8](repeating: 0, count: 100))
        #expect(e?.kind == .zeroPadding)
        #expect(e?.offset == 27)
        #expect(e?.commandOffset == 27)
    }

    @Test func zerosInsideACutCommandAreAZeroFilledTail() {
        let e = failure(ascii("*3\r\n$3\r\nSET\r\n$1\r\n") + [UInt8](repeating: 0, count: 50))
        #expect(e?.kind == .zeroPadding)
        #expect(e?.commandOffset == 0)
    }

    @Test func zerosFollowedByDataAreGarbage() {
        #expect(failure(resp("SET", "a", "1") + [0, 0, 0x2A])?.kind == .structural)
    }

    @Test func aLongAnnotationIsStructural() {
        #expect(failure(ascii("#" + String(repeating: "x", count: 2000) + "\r\n"))?.kind == .structural)
    }

    @Test func anAnnotationCutByTheEndIsReportedAsSuch() throws {
        #expect(try items(resp("PING") + ascii("#TS:16282")) == ["PING", "#cut"])
    }
}
