import Testing
@testable import RDBKit

@Suite struct MemoryModelStreamsTests {
    @Test func anEmptyStreamIsItsStructAndAnEmptyRadixTree() {
        let e = MemoryModel().estimate(memoryRecord(.stream(StreamValue()), stored: .streams))
        #expect(e.valueBytes == 16 + 80 + 244)
    }

    @Test func nodesAreTheirListpacksPlusRadixTreeNodesAndElements() {
        var s = StreamValue()
        s.entries.append(StreamEntry(id: StreamID(ms: 1, seq: 1), fieldsAndValues: byteList(["f", "v"])))
        let e = MemoryModel().estimate(memoryRecord(.stream(s), stored: .streams, blobs: [.init(bytes: 25, elements: 12)],
                                                    streamNodeIDs: [StreamID(ms: 1, seq: 1)]))
        #expect(e.valueBytes == 16 + 80 + (16 + 2 * 244) + 32)
    }

    @Test func groupsAddTheirPendingEntriesAndConsumers() {
        var s = StreamValue()
        let id = StreamID(ms: 5, seq: 0)
        s.groups = [StreamGroup(name: Array("g".utf8), lastDeliveredID: id, entriesRead: 1,
                                pending: [StreamPendingEntry(id: id, deliveryTimeMs: 0, deliveryCount: 1)],
                                consumers: [StreamConsumer(name: Array("alice".utf8), seenTimeMs: 0, activeTimeMs: nil, pending: [id])],
                                nacked: nil)]
        let e = MemoryModel().estimate(memoryRecord(.stream(s), stored: .streams))
        let group = 40 + (16 + 2 * 244) + 24
        let consumer = 24 + 5 + (16 + 2 * 244)
        #expect(e.valueBytes == Int64(16 + 80 + 244 + group + consumer))
    }
}
