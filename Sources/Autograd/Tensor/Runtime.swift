/// The state one script run shares: grad mode, the random generator and the
/// counters that give tensors and graph nodes their creation order. Nothing in
/// the engine is global; every tensor knows the runtime that made it.
public final class Runtime {
    /// `torch.is_grad_enabled()`.
    public var gradEnabled = true
    /// `torch.autograd.set_detect_anomaly` (NaN checks in backward; issue 4).
    public var anomalyDetection = false
    public var generator: SplitMix64
    /// True while a `create_graph=True` backward runs, so the nodes it records
    /// can be told apart from the forward ones.
    public internal(set) var inBackwardWithCreateGraph = false
    private var tensorCount = 0
    private var nodeCount = 0

    public init(seed: UInt64 = 0) { generator = SplitMix64(seed: seed) }

    func nextTensorID() -> Int { tensorCount += 1; return tensorCount }
    func nextSequenceNr() -> Int { nodeCount += 1; return nodeCount }

    /// Runs `body` with grad mode set to `enabled`, restoring it afterwards
    /// (`with torch.no_grad():`, `torch.enable_grad()`, the backward pass).
    public func withGradMode<T>(_ enabled: Bool, _ body: () throws -> T) rethrows -> T {
        let saved = gradEnabled
        gradEnabled = enabled
        defer { gradEnabled = saved }
        return try body()
    }
}
