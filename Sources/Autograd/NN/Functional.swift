/// The `torch.nn.functional` losses as PyTorch's Python layer wraps the
/// kernels: argument checks, the broadcasting warning of `mse_loss`, and
/// `cross_entropy` as `nll_loss(log_softmax(input))`.
public enum Functional {
    /// `F.mse_loss(input, target, reduction)`. Different shapes are
    /// broadcast (both sides expanded) after PyTorch's UserWarning, the
    /// classic sign of a (N, 1) prediction against an (N,) target.
    public static func mseLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        guard input.shape != target.shape else { return try Tensor.mseLoss(input, target, reduction: reduction) }
        input.runtime.warn("UserWarning: Using a target size (torch.Size(\(Shape.list(target.shape)))) that is different to the input size (torch.Size(\(Shape.list(input.shape)))). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.")
        let shape = try Shape.broadcast(input.shape, target.shape)
        return try Tensor.mseLoss(input.expand(shape), target.expand(shape), reduction: reduction)
    }

    /// `F.nll_loss(input, target, weight, ignore_index, reduction)`.
    public static func nllLoss(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                               reduction: Reduction = .mean) throws -> Tensor {
        try Tensor.nllLoss(input, target, weight: weight, reduction: reduction, ignoreIndex: ignoreIndex)
    }

    /// `F.cross_entropy(input, target, ...)`: LogSoftmaxBackward0 over the
    /// class dimension (1, or 0 for a single sample), then NllLossBackward0.
    /// Class-probability targets and label smoothing are not modelled.
    public static func crossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                                    reduction: Reduction = .mean, labelSmoothing: Double = 0) throws -> Tensor {
        if target.dtype.isFloatingPoint && target.shape == input.shape {
            throw TorchError.notImplemented("cross_entropy with class probabilities as the target is not supported by autograd-viz; pass class indices (int64)")
        }
        guard labelSmoothing == 0 else {
            throw TorchError.notImplemented("cross_entropy with label_smoothing is not supported by autograd-viz")
        }
        guard input.rank >= 1 else {
            throw TorchError.index("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
        }
        let logProbabilities = try input.logSoftmax(dim: input.rank == 1 ? 0 : 1)
        return try Tensor.nllLoss(logProbabilities, target, weight: weight, reduction: reduction, ignoreIndex: ignoreIndex)
    }

    /// `F.binary_cross_entropy_with_logits(input, target, weight, reduction, pos_weight)`.
    public static func binaryCrossEntropyWithLogits(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil,
                                                    posWeight: Tensor? = nil, reduction: Reduction = .mean) throws -> Tensor {
        guard input.shape == target.shape else {
            throw TorchError.value("Target size (torch.Size(\(Shape.list(target.shape)))) must be the same as input size (torch.Size(\(Shape.list(input.shape))))")
        }
        return try Tensor.binaryCrossEntropyWithLogits(input, target, weight: weight, posWeight: posWeight, reduction: reduction)
    }
}

/// The loss modules: each holds its options and calls the functional form.
public final class Loss: Module {
    public enum Kind: String, Sendable {
        case mse = "MSELoss", crossEntropy = "CrossEntropyLoss", nll = "NLLLoss"
        case bceWithLogits = "BCEWithLogitsLoss"
    }
    public let kind: Kind
    public var reduction: Reduction
    public var ignoreIndex: Int
    public var labelSmoothing: Double

    /// `weight` and `pos_weight` are buffers, as in PyTorch (absent ones
    /// are registered as None).
    public init(runtime: Runtime, _ kind: Kind, reduction: Reduction = .mean, weight: Tensor? = nil,
                posWeight: Tensor? = nil, ignoreIndex: Int = -100, labelSmoothing: Double = 0) {
        self.kind = kind
        self.reduction = reduction
        self.ignoreIndex = ignoreIndex
        self.labelSmoothing = labelSmoothing
        super.init(runtime: runtime, typeName: kind.rawValue)
        if kind != .mse { registerBuffer("weight", weight) }
        if kind == .bceWithLogits { registerBuffer("pos_weight", posWeight) }
    }

    public override var forwardArguments: [String] { ["input", "target"] }

    public override var kernelName: String {
        switch kind {
        case .mse: return "mse_loss"
        case .crossEntropy: return "cross_entropy_loss"
        case .nll: return "nll_loss_nd"
        case .bceWithLogits: return "binary_cross_entropy_with_logits"
        }
    }

    override func forward(_ inputs: [Tensor], path: String) throws -> Tensor {
        let (x, t) = (inputs[0], inputs[1])
        let weight = buffer(named: "weight") ?? nil
        switch kind {
        case .mse: return try Functional.mseLoss(x, t, reduction: reduction)
        case .crossEntropy:
            return try Functional.crossEntropy(x, t, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction,
                                               labelSmoothing: labelSmoothing)
        case .nll: return try Functional.nllLoss(x, t, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
        case .bceWithLogits:
            return try Functional.binaryCrossEntropyWithLogits(x, t, weight: weight, posWeight: buffer(named: "pos_weight") ?? nil,
                                                               reduction: reduction)
        }
    }
}
