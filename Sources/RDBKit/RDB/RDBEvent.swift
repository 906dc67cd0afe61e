/// What the reader reports, in file order. Consumers take the level they need: most only look
/// at `.key`.
public enum RDBEvent {
    case header(Dialect)
    case aux(name: [UInt8], value: [UInt8])
    case selectDB(Int)
    case resizeDB(db: Int, keys: UInt64, expires: UInt64)
    case key(KeyRecord)
    /// A key read at the structure level: checked, counted and sized, contents not kept.
    case keyShape(KeyShape)
    case function(FunctionLibrary)
    case moduleAux(moduleID: UInt64, payload: [UInt8])
    case slotInfo(slot: UInt64, keys: UInt64, expires: UInt64)
    case slotImport(job: [UInt8], ranges: [ClosedRange<UInt64>])
    case warning(RDBWarning)
    case end(RDBTrailer)
}

public struct RDBWarning: Sendable, CustomStringConvertible {
    public var offset: Int64
    public var message: String
    public var description: String { "offset \(offset): \(message)" }
}

/// The EOF opcode and checksum.
public struct RDBTrailer: Sendable {
    /// Offset of the EOF opcode.
    public var eofOffset: Int64
    /// The stored CRC-64; nil for RDB versions before 5, which have none.
    public var storedChecksum: UInt64?
    /// The CRC-64 computed over the bytes read, nil when checksumming was off.
    public var computedChecksum: UInt64?

    public enum Status: String, Sendable { case ok, mismatch, disabled, absent, unchecked }

    public var status: Status {
        guard let stored = storedChecksum else { return .absent }
        if stored == 0 { return .disabled }
        guard let computed = computedChecksum else { return .unchecked }
        return stored == computed ? .ok : .mismatch
    }
}
