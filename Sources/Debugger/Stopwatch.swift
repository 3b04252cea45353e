/// Elapsed wall time on the monotonic clock, in seconds: what `run --timing`
/// and the benchmarks report.
public struct Stopwatch {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant

    public init() { start = clock.now }

    public var seconds: Double {
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
