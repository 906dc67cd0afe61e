/// A consumer that renders records in one output format (`dump --format ...`).
public protocol RecordWriter: AnyObject {
    /// Called once before any record.
    func begin() throws
    func write(_ record: KeyRecord) throws
    func write(_ library: FunctionLibrary) throws
    /// Called once after the last record.
    func finish() throws
}
