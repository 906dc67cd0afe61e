extension Replayer {
    static let hyperLogLogCommands: [String: Handler] = [:]
    static let geoCommands: [String: Handler] = [:]
    static let streamCommands: [String: Handler] = [:]
    static let functionCommands: [String: Handler] = [:]
}
