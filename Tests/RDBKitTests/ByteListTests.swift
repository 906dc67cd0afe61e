import Testing
@testable import RDBKit

@Suite struct ByteListTests {
    private let list = ByteList([Array("SET".utf8), Array("k".utf8), [], Array("value".utf8)])

    @Test func aSliceHoldsJustItsElements() {
        let s = ByteList(slice: list, 1..<4)
        #expect(Array(s) == [ArraySlice("k".utf8), [], ArraySlice("value".utf8)])
        #expect(s.totalBytes == 6)
        #expect(ByteList(slice: list, 2..<2).isEmpty)
    }

    @Test func appendingAListAddsItsElementsAfterTheOnesThere() {
        var l = ByteList([Array("x".utf8)])
        l.append(contentsOf: list)
        #expect(l.count == 5 && l[0] == ArraySlice("x".utf8) && l[1] == ArraySlice("SET".utf8) && l[4] == ArraySlice("value".utf8))
        #expect(l.length(of: 3) == 0)
    }
}
