/// Verifies many files on worker threads; results are handed back in argument order, each as
/// soon as it and every one before it are done.
public enum VerifyBatch {
    public static func run(_ paths: [String], jobs: Int, verifier: Verifier, emit: (Int, VerifyOutcome) -> Void) {
        ParallelMap.run(count: paths.count, jobs: jobs, work: { verifier.verifyAny(path: paths[$0]) }, emit: emit)
    }
}
