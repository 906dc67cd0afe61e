extension Replayer {
    static let sortedSetCommands: [String: Handler] = [:]
    static let hashCommands: [String: Handler] = [:]
    static let hyperLogLogCommands: [String: Handler] = [:]
    static let geoCommands: [String: Handler] = [:]
    static let streamCommands: [String: Handler] = [:]
    static let functionCommands: [String: Handler] = [:]
}
