import Foundation

extension Tensor {
    /// `nn.Parameter(data, requires_grad)`: a leaf sharing `data`'s storage
    /// (and version counter), marked as a module parameter.
    public static func parameter(_ data: Tensor, requiresGrad: Bool = true) throws -> Tensor {
        let p = data.detach()
        p.detachedFrom = nil
        try p.setRequiresGrad(requiresGrad, viaMethod: false)
        p.isParameter = true
        return p
    }

    /// A new float32 parameter holding `values`, at version 1: PyTorch's
    /// initialisers fill a module's parameters in place.
    static func parameter(_ runtime: Runtime, values: [Double], shape: [Int]) -> Tensor {
        let p = Tensor.initialised(runtime, values: values, shape: shape, dtype: .float32)
        p.leafRequiresGrad = true
        p.isParameter = true
        return p
    }

    /// A module's tensor as its `reset_parameters` leaves it: filled in
    /// place once (version 1).
    static func initialised(_ runtime: Runtime, values: [Double], shape: [Int], dtype: DType) -> Tensor {
        let t = Tensor(runtime: runtime, values: values.map(dtype.round), shape: shape, dtype: dtype)
        t.versionCounter.bump(at: t.runtime.origin)
        return t
    }
}

extension Tensor {
    /// `relu_()`, `F.relu(x, inplace=True)`: ReluBackward0 on this tensor.
    public func reluInPlace() throws -> Tensor {
        try checkOverlap(with: nil)
        return try inPlace { try $0.relu() }
    }
}

/// `nn.Linear(in, out, bias=True)`: `y = x Wᵀ + b`.
///
/// Initialised from the runtime's generator, as tools/torch_reference.py
/// patches PyTorch's: the weight (out × in, row-major) then the bias, each
/// element `(2·uniform() - 1) / sqrt(in)`, rounded to float32.
public final class Linear: Module {
    public let inFeatures: Int, outFeatures: Int

    public init(runtime: Runtime, inFeatures: Int, outFeatures: Int, bias: Bool = true) throws {
        try Shape.checkNonNegative([outFeatures, inFeatures])
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        super.init(runtime: runtime, typeName: "Linear")
        let scale = Foundation.sqrt(Double(inFeatures))
        func draw(_ count: Int) -> [Double] {
            (0..<count).map { _ in
                let u = runtime.generator.uniform()
                return inFeatures > 0 ? (2 * u - 1) / scale : 0
            }
        }
        registerParameter("weight", Tensor.parameter(runtime, values: draw(outFeatures * inFeatures), shape: [outFeatures, inFeatures]))
        registerParameter("bias", bias ? Tensor.parameter(runtime, values: draw(outFeatures), shape: [outFeatures]) : nil)
    }

    public var weight: Tensor? { parameter(named: "weight") ?? nil }
    public var bias: Tensor? { parameter(named: "bias") ?? nil }

    public override var kernelName: String { "linear" }

    override func forward(_ inputs: [Tensor], path: String) throws -> Tensor {
        guard let weight else { throw TorchError.runtime("Linear.weight is None") }
        return try Tensor.linear(inputs[0], weight: weight, bias: bias)
    }

    public override var extraRepr: String { "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(bias != nil ? "True" : "False")" }
    public override var summary: String { "Linear(\(inFeatures), \(outFeatures)\(bias == nil ? ", bias=False" : ""))" }
}

/// `nn.ReLU()`, `nn.Tanh()`, `nn.Sigmoid()`: one elementwise op each.
public final class Activation: Module {
    public enum Kind: String, Sendable { case relu = "ReLU", tanh = "Tanh", sigmoid = "Sigmoid" }
    public let kind: Kind
    /// `nn.ReLU(inplace=True)`.
    public let inPlace: Bool

    public init(runtime: Runtime, _ kind: Kind, inPlace: Bool = false) {
        self.kind = kind
        self.inPlace = inPlace
        super.init(runtime: runtime, typeName: kind.rawValue)
    }

    public override var kernelName: String { kind.rawValue.lowercased() }

    override func forward(_ inputs: [Tensor], path: String) throws -> Tensor {
        let x = inputs[0]
        switch kind {
        case .relu: return inPlace ? try x.reluInPlace() : try x.relu()
        case .tanh: return try x.tanh()
        case .sigmoid: return try x.sigmoid()
        }
    }

    public override var extraRepr: String { inPlace ? "inplace=True" : "" }
}

/// `nn.Dropout(p)`: `Tensor.dropout(p, training)` with the module's mode.
public final class Dropout: Module {
    public var p: Double
    public let inPlace: Bool

    public init(runtime: Runtime, p: Double = 0.5, inPlace: Bool = false) throws {
        guard p >= 0 && p <= 1 else {
            throw TorchError.value("dropout probability has to be between 0 and 1, but got \(TensorFormatter.pythonFloat(p))")
        }
        self.p = p
        self.inPlace = inPlace
        super.init(runtime: runtime, typeName: "Dropout")
    }

    public override var isModeDependent: Bool { true }
    public override var kernelName: String { "dropout" }

    override func forward(_ inputs: [Tensor], path: String) throws -> Tensor {
        try inputs[0].dropout(p: p, training: training, inPlace: inPlace)
    }

    public override var extraRepr: String { "p=\(TensorFormatter.pythonFloat(p)), inplace=\(inPlace ? "True" : "False")" }
    public override var summary: String { "Dropout(p=\(TensorFormatter.pythonFloat(p)))" }
}

/// `nn.BatchNorm1d(num_features, eps=1e-5, momentum=0.1, affine=True,
/// track_running_stats=True)`: weight 1, bias 0, running mean 0, running
/// variance 1. In training it normalises with the batch's statistics and
/// updates the running ones (and `num_batches_tracked`); in eval it uses
/// the running ones.
public final class BatchNorm1d: Module {
    public let numFeatures: Int
    public var eps: Double
    /// nil: a cumulative average over `num_batches_tracked` batches.
    public var momentum: Double?
    public let affine: Bool, trackRunningStats: Bool

    public init(runtime: Runtime, numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1,
                affine: Bool = true, trackRunningStats: Bool = true) throws {
        try Shape.checkNonNegative([numFeatures])
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.trackRunningStats = trackRunningStats
        super.init(runtime: runtime, typeName: "BatchNorm1d")
        let n = numFeatures
        registerParameter("weight", affine ? Tensor.parameter(runtime, values: Array(repeating: 1, count: n), shape: [n]) : nil)
        registerParameter("bias", affine ? Tensor.parameter(runtime, values: Array(repeating: 0, count: n), shape: [n]) : nil)
        if trackRunningStats {
            registerBuffer("running_mean", Tensor.initialised(runtime, values: Array(repeating: 0, count: n), shape: [n], dtype: .float32))
            registerBuffer("running_var", Tensor.initialised(runtime, values: Array(repeating: 1, count: n), shape: [n], dtype: .float32))
            registerBuffer("num_batches_tracked", Tensor.initialised(runtime, values: [0], shape: [], dtype: .int64))
        } else {
            registerBuffer("running_mean", nil)
            registerBuffer("running_var", nil)
            registerBuffer("num_batches_tracked", nil)
        }
    }

    public override var isModeDependent: Bool { true }
    public override var kernelName: String { "batch_norm" }

    override func forward(_ inputs: [Tensor], path: String) throws -> Tensor {
        let x = inputs[0]
        guard x.rank == 2 || x.rank == 3 else {
            throw TorchError.value("expected 2D or 3D input (got \(x.rank)D input)")
        }
        let runningMean = buffer(named: "running_mean") ?? nil, runningVar = buffer(named: "running_var") ?? nil
        var factor = momentum ?? 0
        if training, trackRunningStats, let tracked = buffer(named: "num_batches_tracked") ?? nil {
            try runtime.withGradMode(false) { try tracked.addInPlace(Tensor.wrapped(runtime, 1, dtype: .int64)) }
            if momentum == nil { factor = 1 / (try tracked.item()) }
        }
        // Batch statistics in training, and whenever there are no running ones.
        let useBatch = training || runningMean == nil || runningVar == nil
        if useBatch {
            let perChannel = x.numel / Swift.max(x.shape[1], 1)
            guard perChannel > 1 else {
                throw TorchError.value("Expected more than 1 value per channel when training, got input size torch.Size(\(Shape.list(x.shape)))")
            }
        }
        return try Tensor.nativeBatchNorm(x, weight: parameter(named: "weight") ?? nil, bias: parameter(named: "bias") ?? nil,
                                          runningMean: useBatch && !training ? nil : runningMean,
                                          runningVar: useBatch && !training ? nil : runningVar,
                                          training: useBatch, momentum: factor, eps: eps)
    }

    public override var extraRepr: String {
        let m = momentum.map(TensorFormatter.pythonFloat) ?? "None"
        let flag = { (b: Bool) in b ? "True" : "False" }
        return "\(numFeatures), eps=\(TensorFormatter.pythonFloat(eps)), momentum=\(m), affine=\(flag(affine)), bias=\(flag(affine)), track_running_stats=\(flag(trackRunningStats))"
    }
    public override var summary: String { "BatchNorm1d(\(numFeatures))" }
}

/// `nn.Sequential(*modules)`: children named `0`, `1`, ... (or by
/// `add_module`), each fed the previous one's output.
public final class Sequential: Module {
    public init(runtime: Runtime, _ modules: [Module] = []) {
        super.init(runtime: runtime, typeName: "Sequential")
        for (i, m) in modules.enumerated() { addModule(String(i), m) }
    }

    override func forward(_ inputs: [Tensor], path: String) throws -> Tensor {
        var x = inputs[0]
        for (name, child) in children { x = try child.call([x], path: Module.childPath(path, name)) }
        return x
    }

    public override var summary: String { "Sequential" }

    /// `seq[i]`, negative indices counting from the end.
    public func module(at index: Int) throws -> Module {
        let i = index < 0 ? index + children.count : index
        guard children.indices.contains(i) else { throw TorchError.index("index \(index) is out of range") }
        return children[i].module
    }

    /// `seq[a:b]`: a new Sequential keeping the children's names.
    public func slice(_ positions: [Int]) -> Sequential {
        let out = Sequential(runtime: runtime)
        for i in positions { out.addModule(children[i].name, children[i].module) }
        out.training = training
        return out
    }
}
