import Testing
@testable import RDBKit

@Suite struct MemoryModelListsTests {
    let abc = byteList(["a", "b", "c"])

    @Test func quicklistNodesAreLoadedAsStored() {
        let e = MemoryModel().estimate(memoryRecord(.list(abc), stored: .quicklist2, blobs: [.init(bytes: 16, elements: 3)]))
        #expect(e.encoding == .quicklist)
        #expect(e.valueBytes == 16 + 40 + 40 + 16)  // robj, quicklist, node, listpack
    }

    @Test func plainNodesKeepTheirElementAllocation() {
        let big = ByteList([[UInt8](repeating: 1, count: 10_000)])
        let e = MemoryModel().estimate(memoryRecord(.list(big), stored: .quicklist2, blobs: [.init(bytes: 10_000, elements: 1)]))
        #expect(e.valueBytes == 16 + 40 + 40 + 10_240)
    }

    @Test func linkedListsArePushedIntoNodesOfAtMost8KB() {
        // 100-byte elements take 103 bytes in a listpack: 79 fit a node (8,144 bytes), so 1000
        // make 12 full nodes (8 KB class each) and one of 52 (5,363 -> 6 KB).
        let l = ByteList((0..<1000).map { _ in [UInt8](repeating: 0x78, count: 100) })
        let e = MemoryModel().estimate(memoryRecord(.list(l), stored: .linkedlist))
        #expect(e.valueBytes == 16 + 40 + 13 * 40 + 12 * 8192 + 6144)
    }

    @Test func ziplistNodesBecomeListpacksOfTheSameElements() {
        let e = MemoryModel().estimate(memoryRecord(.list(abc), stored: .quicklist, blobs: [.init(bytes: 20, elements: 3)]))
        #expect(e.valueBytes == 16 + 40 + 40 + 16)
    }

    @Test func redis62KeepsZiplistNodes() {
        let model = MemoryModel(version: .redis62)
        let e = model.estimate(memoryRecord(.list(abc), stored: .quicklist, blobs: [.init(bytes: 20, elements: 3)]))
        #expect(e.valueBytes == 16 + 40 + 32 + 32)
    }

    @Test func redis72TurnsALoneSmallNodeIntoAListpack() {
        let e = MemoryModel(version: .redis72).estimate(memoryRecord(.list(abc), stored: .quicklist2, blobs: [.init(bytes: 16, elements: 3)]))
        #expect(e.encoding == .listpack)
        #expect(e.valueBytes == 16 + 16)
    }

    @Test func aNodeGrowsWhileItsEstimatedSizeStaysWithinTheFillClass() {
        let model = MemoryModel()
        #expect(model.allowsInsert(nodeBytes: 8144, nodeCount: 79, elementSize: 44))
        #expect(!model.allowsInsert(nodeBytes: 8144, nodeCount: 79, elementSize: 100))
    }
}
