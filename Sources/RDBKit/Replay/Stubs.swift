extension Replayer {
    static let geoCommands: [String: Handler] = [:]
    static let functionCommands: [String: Handler] = [:]
}
