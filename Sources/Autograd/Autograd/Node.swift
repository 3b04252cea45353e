/// One edge of the backward graph: the function a gradient flows into and
/// which of that function's inputs it is (PyTorch's `(fn, input_nr)` pairs of
/// `next_functions`). `function == nil` for inputs that do not require grad.
public struct Edge {
    public let function: Node?
    public let inputNr: Int
}

/// What a gradient for one forward input must look like; the engine reduces a
/// broadcast gradient to it and casts it to its dtype (`validate_outputs`).
struct InputMetadata {
    let shape: [Int]
    let dtype: DType
}

/// A backward function: PyTorch's `grad_fn` objects (`MulBackward0`, ...).
///
/// `apply` maps the gradients of the forward outputs to the gradients of the
/// forward inputs, written with differentiable tensor ops so that
/// `create_graph=True` records the backward pass for free.
public class Node {
    /// PyTorch's class name: `type(t.grad_fn).__name__`.
    public let name: String
    /// Creation order; the engine runs later nodes first, as PyTorch does,
    /// and snapshots name nodes by it.
    public let sequenceNr: Int
    /// The ready-queue priority: creation order, except that AccumulateGrad
    /// runs as soon as it is ready (PyTorch gives it UINT64_MAX).
    var priority: Int { self is AccumulateGrad ? Int.max : sequenceNr }
    public internal(set) var nextEdges: [Edge]
    /// The tensors this function saved for backward, with PyTorch's names.
    public internal(set) var saved: [SavedVariable]
    /// Whether grad mode was on because of a `create_graph=True` backward
    /// (the debugger marks these nodes as part of the recorded backward pass).
    public let createdInBackward: Bool
    /// The module calls (outermost first) that were running when the forward
    /// op made this node, e.g. `model` then `model.0: Linear(4, 8)`.
    public let moduleScope: [ModuleScope]
    /// Where in the script the forward op ran, kept only in anomaly mode
    /// (PyTorch's anomaly metadata), for the "Error detected in" warning.
    public let forwardLocation: ForwardLocation?
    let runtime: Runtime
    let inputMetadata: [InputMetadata?]
    let numOutputs: Int
    private let backward: (Node, [Tensor?]) throws -> [Tensor?]
    /// Tensors that called `retain_grad()`, by output number.
    var retainedOutputs: [Int: WeakTensor] = [:]
    /// The tensors that called `retain_grad()` on this node's output.
    public var retainingTensors: [Tensor] { retainedOutputs.values.compactMap(\.tensor) }
    /// Hooks of the tensors this node produced, by output number (issue 4).
    var tensorPreHooks: [Int: [(id: Int, fn: (Tensor) throws -> Tensor?)]] = [:]

    init(name: String, runtime: Runtime, inputs: [Tensor?], numOutputs: Int = 1,
         backward: @escaping (Node, [Tensor?]) throws -> [Tensor?]) {
        self.name = name
        self.runtime = runtime
        self.sequenceNr = runtime.nextSequenceNr()
        self.createdInBackward = runtime.inBackwardWithCreateGraph
        self.moduleScope = runtime.moduleScope
        self.forwardLocation = runtime.anomalyDetection ? runtime.currentLocation : nil
        self.nextEdges = inputs.map { $0?.gradientEdge() ?? Edge(function: nil, inputNr: 0) }
        self.inputMetadata = inputs.map { t in t.map { InputMetadata(shape: $0.shape, dtype: $0.dtype) } }
        self.numOutputs = numOutputs
        self.saved = []
        self.backward = backward
    }

    /// For AccumulateGrad, which has no inputs.
    init(leafName: String, runtime: Runtime) {
        self.name = leafName
        self.runtime = runtime
        self.sequenceNr = runtime.nextSequenceNr()
        self.createdInBackward = false
        self.moduleScope = runtime.moduleScope
        self.forwardLocation = nil
        self.nextEdges = []
        self.inputMetadata = []
        self.numOutputs = 1
        self.saved = []
        self.backward = { _, _ in [] }
    }

    /// Whether the gradient of forward input `i` is wanted (PyTorch's
    /// `should_compute_output`): formulas skip the work for the others.
    public func needsInputGrad(_ i: Int) -> Bool { i < nextEdges.count && nextEdges[i].function != nil }

    /// The saved tensor called `name`, checked for release and in-place changes.
    func saved(_ name: String) throws -> Tensor {
        guard let variable = saved.first(where: { $0.name == name }) else {
            preconditionFailure("\(self.name) has no saved tensor '\(name)'")
        }
        return try variable.unpack(owner: self)
    }

    func save(_ name: String, _ tensor: Tensor, isOutput: Bool = false) {
        saved.append(SavedVariable(name: name, tensor: tensor, isOutput: isOutput))
    }

    func apply(_ grads: [Tensor?]) throws -> [Tensor?] { try backward(self, grads) }

    /// Drops the saved tensors after a backward without `retain_graph`.
    func releaseVariables() { for variable in saved { variable.release() } }

    /// Values other than tensors a function keeps (`_saved_exponent`,
    /// `_saved_dim`, `_saved_self_sym_sizes`), and tensors it chose not to
    /// save (`.none`), as PyTorch exposes them.
    public internal(set) var savedAttributes: [String: SavedAttribute] = [:]

    /// `grad_fn.name()`: the class name, namespaced for the nodes PyTorch
    /// implements by hand in C++ rather than generates.
    public var qualifiedName: String {
        ["AccumulateGrad", "CopyBackwards", "CopySlices"].contains(name) ? "torch::autograd::\(name)" : name
    }

    /// Frees a long chain without recursing: ARC would release the next node
    /// from inside this deinit, and that one the next, and a 100,000-op chain
    /// would overflow the stack (PyTorch's `deleteNode` solves the same).
    deinit {
        var pending: [Node] = []
        Node.detachChildren(of: self, into: &pending)
        while var node = pending.popLast() {
            if isKnownUniquelyReferenced(&node) { Node.detachChildren(of: node, into: &pending) }
        }
    }

    private static func detachChildren(of node: Node, into pending: inout [Node]) {
        for edge in node.nextEdges { if let fn = edge.function { pending.append(fn) } }
        node.nextEdges = []
        for variable in node.saved { if let fn = variable.detachHistoryForTeardown() { pending.append(fn) } }
    }
}

/// The sink for a leaf's gradient: adds it into `variable.grad`.
public final class AccumulateGrad: Node {
    public let variable: Tensor

    init(variable: Tensor) {
        self.variable = variable
        super.init(leafName: "AccumulateGrad", runtime: variable.runtime)
    }

    /// PyTorch's `AccumulateGrad::accumulateGrad`: the first gradient becomes
    /// `.grad` (a copy, so later in-place accumulation never aliases another
    /// tensor; recorded as `CopyBackwards` under create_graph), later ones add
    /// in place — or out of place when grad mode is on (create_graph).
    func accumulate(_ incoming: Tensor) throws {
        if let existing = variable.grad {
            if runtime.gradEnabled {
                variable.grad = try existing.add(incoming)
            } else {
                try runtime.withGradMode(false) { try existing.addInPlace(incoming) }
            }
        } else if runtime.gradEnabled && incoming.requiresGrad {
            variable.grad = try incoming.copyForGrad(like: variable)
        } else {
            variable.grad = incoming.detachedCopy(dtype: variable.dtype)
        }
    }
}

/// A non-tensor value a backward function saved.
public enum SavedAttribute: Equatable, Sendable {
    case none
    case int(Int)
    case double(Double)
    case ints([Int])
    case bool(Bool)
}

/// A statement of the script, as anomaly detection reports where a forward
/// op ran (`File "mlp.json", line 5, in <module>` and the line's text).
public struct ForwardLocation: Equatable, Sendable {
    public let file: String
    public let line: Int
    /// The line's text without its indentation.
    public let source: String
    public init(file: String, line: Int, source: String) {
        self.file = file
        self.line = line
        self.source = source
    }
}

/// A weak reference, for the graph's back-pointers to tensors.
struct WeakTensor {
    weak var tensor: Tensor?
}
