extension PlanReport {
    static func json(_ s: LossProfile.Stats) -> JSONValue {
        .object([("max", .double(s.max)), ("mean", .double(s.mean)), ("p99", .double(s.p99))])
    }

    public func json() -> String {
        let results: [JSONValue] = plan.results.map { r in
            let p = r.candidate.policy
            let loss: [(String, JSONValue)] = r.loss.map { l in
                (l.failure.rawValue, .object([
                    ("instants", .int(Int64(l.instants))),
                    ("writes_expected", Self.json(l.writes)), ("writes_worst", Self.json(l.worstWrites)),
                    ("window_seconds", Self.json(l.window)),
                    // [ms, writes expected, writes worst, window ms]: every instant up to 400, then each stretch's worst.
                    ("curve", .array(l.curve.map { .array([.int($0.ms), .int(Int64($0.writes)), .int(Int64($0.worstWrites)), .int($0.windowMs)]) })),
                ]))
            }
            let s = r.snapshots
            return .object([
                ("configuration", .string(r.candidate.name)),
                ("save", .array(p.savePoints.map { .array([.int($0.seconds), .int($0.changes)]) })),
                ("appendonly", .bool(p.appendOnly)), ("appendfsync", .string(p.appendFsync.rawValue)),
                ("auto_aof_rewrite", .object([("percentage", .int(r.candidate.rewrite.percentage)),
                                              ("min_size", .int(r.candidate.rewrite.minSize))])),
                ("loss", .object(loss)),
                ("snapshots", .object([
                    ("count", .int(Int64(s.snapshots))), ("per_hour", .double(s.perHour)), ("fork_pause_ms", .double(s.forkPauseMs)),
                    ("cow_bytes", .array(s.copyOnWrite.map { .object([("low", .int($0.lowBytes)), ("high", .int($0.highBytes)),
                                                                      ("keys_sure", .int(Int64($0.keys.sure))),
                                                                      ("keys_possible", .int(Int64($0.keys.possible)))]) })),
                ])),
                ("disk", .object([
                    ("rdb_bytes_per_hour", .double(r.disk.rdbBytesPerHour)), ("aof_bytes_per_hour", .double(r.disk.aofAppendBytesPerHour)),
                    ("rewrites", .int(Int64(r.disk.rewrites))), ("rewrite_bytes_per_hour", .double(r.disk.rewriteBytesPerHour)),
                    ("bytes_per_hour", .double(r.disk.bytesPerHour)), ("fsyncs_per_second", .double(r.disk.fsyncsPerSecond)),
                ])),
                ("restart_seconds", .object([("mean", .double(r.restart.meanSeconds)), ("max", .double(r.restart.maxSeconds))])),
            ])
        }
        let span = plan.history.span
        return JSONValue.object([
            ("commands", .int(Int64(plan.history.count))),
            ("first_ms", span.map { .int($0.first) } ?? .null), ("last_ms", span.map { .int($0.last) } ?? .null),
            ("dataset_bytes", .int(plan.datasetBytes)), ("rdb_bytes", .int(plan.rdbBytes)),
            ("candidates", .array(results)),
            ("recommendations", .array(goals.map { g in
                .object([("goal", .string(g.text)), ("configuration", g.recommend(plan.results).map { .string($0.candidate.name) } ?? .null),
                         ("text", .string(recommendation(g)))])
            })),
            ("assumptions", .array((plan.history.notes + plan.assumptions).map { .string($0) })),
        ]).serialized()
    }
}
