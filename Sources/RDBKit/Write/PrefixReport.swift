/// Renders `rdbtool prefixes`: a table per depth for a person, or one JSON object.
public struct PrefixReport {
    public var path: String
    public var separator: [UInt8]
    public var perDepth: Int
    public var levels: [PrefixAggregator.Level]
    public var unprefixed: PrefixAggregator.Totals
    public var all: PrefixAggregator.Totals
    /// Rows shown per depth; nil shows every kept row.
    public var limit: Int?

    public init(path: String, aggregator: PrefixAggregator, limit: Int?) {
        self.path = path
        separator = aggregator.separator
        perDepth = aggregator.perDepth
        levels = aggregator.levels()
        unprefixed = aggregator.unprefixed
        all = aggregator.all
        self.limit = limit
    }

    private func shown(_ level: PrefixAggregator.Level) -> ArraySlice<PrefixAggregator.Row> {
        level.rows.prefix(limit ?? level.rows.count)
    }

    /// Everything at a depth not shown as a row: pruned prefixes and rows past the limit.
    private func rest(_ level: PrefixAggregator.Level) -> PrefixAggregator.Totals {
        var t = level.other
        for r in level.rows.dropFirst(shown(level).count) { t.add(r.totals) }
        return t
    }

    private static func columns(_ t: PrefixAggregator.Totals) -> String {
        TextLayout.padLeft("\(t.keys)", 12) + TextLayout.padLeft("\(t.memoryBytes)", 14) + TextLayout.padLeft("\(t.serializedBytes)", 14)
    }

    public func text() -> String {
        let sep = Quoting.redisCLI(separator)
        var out = ["\(path): \(all.keys) keys, \(all.memoryBytes) bytes of estimated memory, by prefix (separator \(sep))"]
        for level in levels where level.total.keys > 0 {
            out.append("")
            out.append("depth \(level.depth): \(level.total.keys) keys, \(level.total.memoryBytes) bytes"
                       + (level.maxUndercount > 0 ? "; \(perDepth) prefixes kept per depth, each may be undercounted by up to \(level.maxUndercount) bytes" : ""))
            out.append(TextLayout.padLeft("keys", 12) + TextLayout.padLeft("memory", 14) + TextLayout.padLeft("serialized", 14) + "  prefix")
            for r in shown(level) { out.append(Self.columns(r.totals) + "  " + Quoting.redisCLI(r.prefix, limit: 80)) }
            let hidden = level.rows.count - shown(level).count
            let rest = rest(level)
            if rest.keys > 0 {
                let what = [hidden > 0 ? "\(hidden) smaller prefixes" : nil, level.other.keys > 0 ? "pruned prefixes" : nil]
                out.append(Self.columns(rest) + "  (other: " + what.compactMap { $0 }.joined(separator: " and ") + ")")
            }
        }
        if unprefixed.keys > 0 {
            out.append("")
            out.append(Self.columns(unprefixed) + "  (keys without \(sep))")
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func json(_ t: PrefixAggregator.Totals) -> [(String, JSONValue)] {
        [("keys", .int(t.keys)), ("memory_bytes", .int(t.memoryBytes)), ("serialized_bytes", .int(t.serializedBytes))]
    }

    public func json() -> String {
        let levelsJSON: [JSONValue] = levels.map { level in
            .object([
                ("depth", .int(Int64(level.depth))),
                ("total", .object(Self.json(level.total))),
                ("other", .object(Self.json(rest(level)))),
                ("max_undercount_bytes", .int(level.maxUndercount)),
                ("prefixes", .array(shown(level).map { r in .object([("prefix", .bytes(r.prefix))] + Self.json(r.totals)) })),
            ])
        }
        return JSONValue.object([
            ("file", .string(path)), ("separator", .bytes(separator)), ("prefixes_per_depth", .int(Int64(perDepth))),
            ("all", .object(Self.json(all))), ("unprefixed", .object(Self.json(unprefixed))), ("levels", .array(levelsJSON)),
        ]).serialized() + "\n"
    }
}
