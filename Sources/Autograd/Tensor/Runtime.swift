/// The state one script run shares: grad mode, the random generator and the
/// counters that give tensors and graph nodes their creation order. Nothing in
/// the engine is global; every tensor knows the runtime that made it.
/// A position in the script: 1-based line, and 1-based column of the call
/// that ran, or 0 when no call was running (an operator, a statement).
/// Two 32-bit numbers, as every tensor keeps one.
public struct SourceOrigin: Equatable, Sendable {
    public var line: Int32
    public var column: Int32
    public init(line: Int, column: Int) {
        self.line = Int32(clamping: line)
        self.column = Int32(clamping: column)
    }
    /// Made outside any script (tests that build tensors directly).
    public static let unknown = SourceOrigin(line: 0, column: 0)
}

public final class Runtime {
    // The state below is read by every op that records and written between
    // ops, never during one: `@exclusivity(unchecked)` (see `Tensor`).
    /// `torch.is_grad_enabled()`.
    @exclusivity(unchecked) public var gradEnabled = true
    /// `torch.autograd.set_detect_anomaly`: nodes remember where the forward
    /// op ran, and a backward error names it in a warning.
    @exclusivity(unchecked) public var anomalyDetection = false
    /// `set_detect_anomaly(True, check_nan=...)`: whether anomaly mode also
    /// raises when a backward function returns NaN.
    @exclusivity(unchecked) public var anomalyCheckNaN = true
    /// The script position of the statement running now (the interpreter
    /// updates it); a node created in anomaly mode keeps it.
    @exclusivity(unchecked) public var currentLocation: ForwardLocation?
    /// Where in the script the code running now is: the statement's line, and
    /// the column of the call being made (0 between calls). Every tensor
    /// keeps the origin it was made at (`Tensor.origin`), so the debugger can
    /// say which line and expression made it. The interpreter updates it.
    @exclusivity(unchecked) public var origin = SourceOrigin.unknown
    /// The script's backward call running now (its 1-based index; 0 outside
    /// one): saved tensors a call frees remember it.
    @exclusivity(unchecked) public var backwardCallIndex = 0
    /// The last autograd error the engine raised, with what it knew then
    /// (see `ErrorProvenance`); the debugger matches it to the script's
    /// error by message.
    public internal(set) var lastProvenance: (message: String, provenance: ErrorProvenance)?
    /// The module calls the forward pass is inside of, outermost first
    /// (`Module.call` pushes and pops); every node records it.
    @exclusivity(unchecked) public internal(set) var moduleScope: [ModuleScope] = []
    private var moduleCalls = 0
    /// Receives the warnings the engine raises (`UserWarning: Error detected
    /// in ...`), as the interpreter reports warnings.
    public var onWarning: ((String) -> Void)?
    /// The recorder a backward pass reports its gradients to, if any (the
    /// debugger sets one around each backward call it records).
    public var gradientFlow: GradientFlowRecorder?
    /// Advanced once per random element.
    @exclusivity(unchecked) public var generator: SplitMix64
    /// True while a `create_graph=True` backward runs, so the nodes it records
    /// can be told apart from the forward ones.
    @exclusivity(unchecked) public internal(set) var inBackwardWithCreateGraph = false
    // Bumped for every tensor and node.
    @exclusivity(unchecked) private var tensorCount = 0
    @exclusivity(unchecked) private var nodeCount = 0
    private var graphTaskCount = 0

    public init(seed: UInt64 = 0) { generator = SplitMix64(seed: seed) }

    func nextTensorID() -> Int { tensorCount += 1; return tensorCount }
    func nextSequenceNr() -> Int { nodeCount += 1; return nodeCount }
    /// Ids for the engine's runs, starting at 1 (`Node.discovery` starts at 0).
    func nextGraphTaskID() -> Int { graphTaskCount += 1; return graphTaskCount }

    /// Runs `body` inside one more module call.
    public func withModuleScope<T>(_ scope: ModuleScope, _ body: () throws -> T) throws -> T {
        // A container holding itself (`seq.append(seq)`) would call itself
        // until the stack ran out; Python stops it at its recursion limit.
        guard moduleScope.count < Module.maxNesting else { throw TorchError.recursion(Messages.recursion) }
        var scope = scope
        moduleCalls += 1
        scope.call = moduleCalls
        moduleScope.append(scope)
        defer { moduleScope.removeLast() }
        return try body()
    }

    func warn(_ message: String) { onWarning?(message) }

    /// Runs `body` with grad mode set to `enabled`, restoring it afterwards
    /// (`with torch.no_grad():`, `torch.enable_grad()`, the backward pass).
    public func withGradMode<T>(_ enabled: Bool, _ body: () throws -> T) rethrows -> T {
        let saved = gradEnabled
        gradEnabled = enabled
        defer { gradEnabled = saved }
        return try body()
    }
}
