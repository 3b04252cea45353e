/// A tensor a backward function keeps for later (PyTorch's `SavedVariable`).
///
/// It remembers the version it was saved at, so an in-place change before
/// backward is caught, and it is freed after a backward that does not retain
/// the graph, so a second backward raises PyTorch's error.
///
/// A value kept in its node's `saved` array (most ops save one or two), so
/// saving costs no allocation of its own.
public struct SavedVariable {
    /// PyTorch's name for it: `self`, `other`, `mat2`, `result`, ...
    public let name: String
    public let isOutput: Bool
    private var data: Tensor?
    private var savedVersion: Int
    /// The tensor as the script sees it, while nothing else holds it: a saved
    /// output (whose `data` is an alias, see `init`), or an input once freed.
    private weak var weakOriginal: Tensor?
    /// `original.id`, kept after the tensor itself is freed.
    public private(set) var tensorID: Int
    /// Whether the saved input was a leaf: one that had a grad_fn and lost
    /// it (`detach_()`) can no longer be used.
    private let wasLeaf: Bool

    /// The tensor as the script sees it (a saved output is stored as an alias
    /// without its grad_fn, to avoid a cycle; this points at the real one),
    /// nil once it is gone.
    public var original: Tensor? { isOutput ? weakOriginal : (data ?? weakOriginal) }

    public var isFreed: Bool { data == nil }
    /// The script's backward call that freed it (`Runtime.backwardCallIndex`).
    public private(set) var freedInCall = 0
    /// The version it was saved at; the tensor's version counter moving
    /// past it makes it stale.
    public var versionWhenSaved: Int { savedVersion }
    /// The saved tensor's version now, while it is kept.
    public var currentVersion: Int? { data?.version }
    /// Where the saved tensor was last written in place, while it is kept.
    public var lastWrite: SourceOrigin? { data?.versionCounter.lastWrite }

    init(name: String, tensor: Tensor, isOutput: Bool) {
        self.name = name
        self.isOutput = isOutput
        self.tensorID = tensor.id
        self.savedVersion = tensor.version
        self.wasLeaf = tensor.isLeaf
        // An output would point back at its own grad_fn: keep an alias of the
        // data instead, and reconnect it to the owner when unpacked.
        if isOutput {
            self.data = tensor.alias()
            self.weakOriginal = tensor
        } else {
            // `data` is the original itself while it is saved; the weak
            // reference is only taken in `release` (a first weak reference
            // allocates a side table for the tensor, and most saved inputs
            // die with their node).
            self.data = tensor
        }
    }

    mutating func release(inCall call: Int) {
        guard var tensor = data else { return }
        data = nil
        freedInCall = call
        if !isOutput && !isKnownUniquelyReferenced(&tensor) { weakOriginal = tensor }
    }

    /// For a dying node: hands over the saved tensor's grad_fn when nothing
    /// else holds the tensor, so the caller frees the chain iteratively.
    mutating func detachHistoryForTeardown() -> Node? {
        guard var tensor = data else { return nil }
        data = nil
        // The node holding this variable is being destroyed, so `original`
        // is never read again.
        guard isKnownUniquelyReferenced(&tensor), let fn = tensor.gradFn else { return nil }
        tensor.gradFn = nil
        return fn
    }

    /// After an in-place op the output the script holds is the modified
    /// tensor, not the op's temporary result: save that one, at its new version.
    mutating func retarget(_ tensor: Tensor) {
        guard data != nil else { return }
        weakOriginal = tensor
        tensorID = tensor.id
        data = tensor.alias()
        savedVersion = tensor.version
    }

    func unpack(owner: Node) throws -> Tensor {
        guard let data else {
            throw owner.runtime.raise(Messages.backwardTwice, .savedFreed(node: owner, saved: name, freedInCall: freedInCall))
        }
        // PyTorch reads the saved input's grad_fn first, which raises for a
        // view it can no longer rebase (a row of `unbind` whose base was written).
        if !isOutput { try data.checkViewRebase() }
        if !isOutput && !wasLeaf && data.gradFn == nil {
            throw TorchError.runtime("Trying to use a saved tensor that has been detached in-place, i.e. with .detach_().This is not supported, please use out-of-place `.detach()` instead")
        }
        if data.version != savedVersion {
            var message = "one of the variables needed for gradient computation has been modified by an inplace operation: [\(data.dtype.legacyTensorName) \(Shape.list(data.shape))]"
            let producer: Node? = isOutput ? owner : data.gradFn
            let outputNr = isOutput ? 0 : data.outputNr
            if let producer {
                message += ", which is output \(outputNr) of \(Self.operatorName(producer.qualifiedName)),"
            }
            message += " is at version \(data.version); expected version \(savedVersion) instead."
            message += owner.runtime.anomalyDetection
                ? " Hint: the backtrace further above shows the operation that failed to compute its gradient. The variable in question was changed in there or anywhere later. Good luck!"
                : " Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."
            throw owner.runtime.raise(message, .savedModified(node: owner, saved: name, tensor: original ?? data,
                                                              savedVersion: savedVersion, version: data.version,
                                                              lastWrite: data.versionCounter.lastWrite))
        }
        guard isOutput else { return data }
        // Reconnect the saved output to the function that made it, so that a
        // create_graph backward differentiates through it.
        let unpacked = data.alias()
        unpacked.gradFn = owner
        unpacked.outputNr = 0
        return unpacked
    }

    /// `SigmoidBackward0` → `Sigmoid`, as PyTorch's message names the op.
    static func operatorName(_ nodeName: String) -> String {
        guard let range = nodeName.range(of: "Backward", options: .backwards) else { return nodeName }
        // "ExpBackward0" is "Exp", but "MinBackward1" is "Min1" and
        // "PowBackward2" "Pow2", as PyTorch prints them.
        let tail = nodeName[range.upperBound...]
        guard tail.allSatisfy(\.isNumber) else { return nodeName }
        return String(nodeName[..<range.lowerBound]) + (tail == "0" ? "" : tail)
    }
}
