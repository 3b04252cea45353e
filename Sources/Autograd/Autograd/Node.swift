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

/// One forward input of a node: where its gradient goes and what it must
/// look like (nil metadata for an input that was no tensor).
struct NodeInput {
    let edge: Edge
    let metadata: InputMetadata?
}

/// A backward function: PyTorch's `grad_fn` objects (`MulBackward0`, ...).
///
/// `apply` maps the gradient of the forward output to the gradients of the
/// forward inputs, written with differentiable tensor ops so that
/// `create_graph=True` records the backward pass for free.
public class Node {
    /// PyTorch's class name: `type(t.grad_fn).__name__`.
    public let name: String
    /// Creation order; the engine runs later nodes first, as PyTorch does,
    /// and snapshots name nodes by it.
    public let sequenceNr: Int
    /// The ready-queue priority: creation order, except that AccumulateGrad
    /// runs as soon as it is ready (PyTorch gives it UINT64_MAX). Stored, as
    /// the engine's heap compares it for every node it orders.
    let priority: Int
    /// PyTorch's `next_functions`, one edge per forward input.
    public var nextEdges: [Edge] { inputs.map(\.edge) }
    // The mutable state below is read by the engine for every node and
    // changed only between ops: `@exclusivity(unchecked)` (see `Tensor`).
    /// The edges with their inputs' metadata, in one array (one allocation
    /// per node instead of two; the engine reads both together).
    @exclusivity(unchecked) private(set) var inputs: [NodeInput]
    /// The tensors this function saved for backward, with PyTorch's names.
    @exclusivity(unchecked) public internal(set) var saved: [SavedVariable]
    /// Whether grad mode was on because of a `create_graph=True` backward
    /// (the debugger marks these nodes as part of the recorded backward pass).
    public let createdInBackward: Bool
    /// The module calls (outermost first) that were running when the forward
    /// op made this node, e.g. `model` then `model.0: Linear(4, 8)`.
    public let moduleScope: [ModuleScope]
    /// Where in the script the forward op ran, kept only in anomaly mode
    /// (PyTorch's anomaly metadata), for the "Error detected in" warning.
    public let forwardLocation: ForwardLocation?
    /// The script position of the op that made this node (`Runtime.origin`).
    public let origin: SourceOrigin
    let runtime: Runtime
    /// The formula: the gradient of the output to one gradient per input.
    private let backward: (Node, Tensor) throws -> [Tensor?]
    /// Tensors that called `retain_grad()`, by output number.
    @exclusivity(unchecked) var retainedOutputs: [Int: WeakTensor] = [:]
    /// The tensors that called `retain_grad()` on this node's output.
    public var retainingTensors: [Tensor] { retainedOutputs.values.compactMap(\.tensor) }
    /// The engine's scratch mark: this node's position in the backward pass
    /// whose id `task` is (a pass gives positions while it counts
    /// dependencies, and reads them back only then).
    @exclusivity(unchecked) var discovery: (task: Int, position: Int) = (0, 0)
    /// Hooks of the tensors this node produced, by output number: a non-leaf's
    /// hooks live on its grad_fn, as PyTorch's tensor pre-hooks do, so they
    /// run on the gradient flowing into the node, whatever tensor object asks.
    @exclusivity(unchecked) var tensorPreHooks: [Int: [(id: Int, fn: (Tensor?) throws -> Tensor?)]] = [:]

    convenience init(name: String, runtime: Runtime, inputs: [Tensor?], backward: @escaping (Node, Tensor) throws -> [Tensor?]) {
        self.init(name: name, runtime: runtime, edges: { Node.edges(of: inputs) }, backward: backward)
    }

    /// Each forward input's edge and metadata (nil for an input that was no tensor).
    static func edges(of inputs: [Tensor?]) -> [NodeInput] {
        inputs.map { input in
            guard let input else { return NodeInput(edge: Edge(function: nil, inputNr: 0), metadata: nil) }
            return NodeInput(edge: input.gradientEdge(), metadata: InputMetadata(shape: input.shape, dtype: input.dtype))
        }
    }

    /// A node whose inputs are given as edges (CopySlices takes most of its
    /// own from the function it wraps). `edges` runs after the node has its
    /// sequence number: it may create a leaf's AccumulateGrad, which comes later.
    init(name: String, runtime: Runtime, edges: () -> [NodeInput], backward: @escaping (Node, Tensor) throws -> [Tensor?]) {
        self.name = name
        self.runtime = runtime
        self.sequenceNr = runtime.nextSequenceNr()
        self.priority = sequenceNr
        self.createdInBackward = runtime.inBackwardWithCreateGraph
        self.moduleScope = runtime.moduleScope
        self.forwardLocation = runtime.anomalyDetection ? runtime.currentLocation : nil
        self.origin = runtime.origin
        self.inputs = edges()
        self.saved = []
        self.backward = backward
    }

    /// For AccumulateGrad, which has no inputs.
    init(leafName: String, runtime: Runtime) {
        self.name = leafName
        self.runtime = runtime
        self.sequenceNr = runtime.nextSequenceNr()
        self.priority = Int.max
        self.createdInBackward = false
        self.moduleScope = runtime.moduleScope
        self.forwardLocation = nil
        self.origin = runtime.origin
        self.inputs = []
        self.saved = []
        self.backward = { _, _ in [] }
    }

    /// Whether the gradient of forward input `i` is wanted (PyTorch's
    /// `should_compute_output`): formulas skip the work for the others.
    public func needsInputGrad(_ i: Int) -> Bool { i < inputs.count && inputs[i].edge.function != nil }

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

    func apply(_ grad: Tensor) throws -> [Tensor?] { try backward(self, grad) }

    /// Drops the saved tensors after a backward without `retain_graph`
    /// (and the wrapped function of a CopySlices, as PyTorch's does).
    func releaseVariables() {
        for i in saved.indices { saved[i].release(inCall: runtime.backwardCallIndex) }
        wrapped = nil
    }

    /// The function a `CopySlices` runs inside its own backward: the
    /// in-place op applied to a view (Note [View rebase]).
    @exclusivity(unchecked) public internal(set) var wrapped: Node?

    /// This node's inputs, edges and metadata together (for CopySlices).
    var nodeInputs: [NodeInput] { inputs }

    /// Values other than tensors a function keeps (`_saved_exponent`,
    /// `_saved_dim`, `_saved_self_sym_sizes`), and tensors it chose not to
    /// save (`.none`), as PyTorch exposes them.
    @exclusivity(unchecked) public internal(set) var savedAttributes = SavedAttributes()

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
        for input in node.inputs { if let fn = input.edge.function { pending.append(fn) } }
        node.inputs = []
        for i in node.saved.indices { if let fn = node.saved[i].detachHistoryForTeardown() { pending.append(fn) } }
    }
}

/// A backward function of an op with several outputs (`unbind`, which
/// iterating a tensor runs): its formula takes one gradient per output, nil
/// for an output no gradient reached. Each output tensor knows its number
/// (`Tensor.outputNr`), which its edges carry as `inputNr`.
final class MultiOutputNode: Node {
    let outputCount: Int
    private let formula: (Node, [Tensor?]) throws -> [Tensor?]

    init(name: String, runtime: Runtime, inputs: [Tensor?], outputCount: Int,
         backward: @escaping (Node, [Tensor?]) throws -> [Tensor?]) {
        self.outputCount = outputCount
        self.formula = backward
        super.init(name: name, runtime: runtime, edges: { Node.edges(of: inputs) }) { node, grad in
            try backward(node, [grad] + [Tensor?](repeating: nil, count: outputCount - 1))
        }
    }

    func apply(all grads: [Tensor?]) throws -> [Tensor?] { try formula(self, grads) }
}

/// The sink for a leaf's gradient: adds it into `variable.grad`.
public final class AccumulateGrad: Node {
    public let variable: Tensor

    init(variable: Tensor) {
        self.variable = variable
        super.init(leafName: "AccumulateGrad", runtime: variable.runtime)
    }

    /// PyTorch's `AccumulateGrad::accumulateGrad`: the first gradient becomes
    /// `.grad` — stolen when `stealable` and laid out as the variable is, a
    /// copy otherwise (recorded as `CopyBackwards` under create_graph) —
    /// later ones add in place, or out of place when grad mode is on
    /// (create_graph).
    ///
    /// Note [Stealing a gradient]: PyTorch keeps the incoming tensor itself
    /// (`new_grad.detach()`) when nothing else holds it (its use count, which
    /// the engine's buffers and a Python reference raise) and it obeys the
    /// layout contract (strides of the variable; an expanded gradient never
    /// does). Two leaves whose gradients are views of one buffer
    /// (`a.view(2) + b.view(2)`) then share storage, so a later in-place
    /// accumulation into one `.grad` shows in the other. The engine says
    /// whether anything else holds the gradient (`stealable`).
    func accumulate(_ incoming: Tensor, stealable: Bool) throws {
        // A leaf that stopped requiring grad since the graph was built
        // (`detach_()`, `requires_grad_(False)`) gets nothing, as in PyTorch.
        guard variable.requiresGrad else { return }
        if let existing = variable.grad {
            if runtime.gradEnabled {
                variable.grad = try existing.add(incoming)
            } else {
                try runtime.withGradMode(false) { try existing.addInPlace(incoming) }
            }
        } else if runtime.gradEnabled && incoming.requiresGrad {
            variable.grad = try incoming.copyForGrad(like: variable)
        } else if !runtime.gradEnabled && stealable && incoming.dtype == variable.dtype && obeysLayoutContract(incoming) {
            variable.grad = incoming.alias()
        } else {
            variable.grad = incoming.detachedCopy(dtype: variable.dtype)
        }
    }

    /// PyTorch's `obeys_layout_contract(grad, variable)` for a dense variable:
    /// the variable's strides wherever a dimension is not 1, and no zero
    /// stride where it is; for another variable, contiguous strides.
    private func obeysLayoutContract(_ grad: Tensor) -> Bool {
        guard grad.shape == variable.shape else { return false }
        let reference = variable.isNonOverlappingAndDense ? variable.strides : Shape.contiguousStrides(variable.shape)
        for d in grad.shape.indices {
            if grad.shape[d] != 1 ? grad.strides[d] != reference[d] : grad.strides[d] == 0 { return false }
        }
        return true
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

/// A node's saved attributes by name (`node.savedAttributes["exponent"]`).
/// A node keeps a handful at most, so a list searched in order is cheaper to
/// build than a dictionary; the first one is kept inline, so the many nodes
/// with a single attribute (`MulBackward0` of `x * 2` keeps `self` as None)
/// allocate nothing for it.
public struct SavedAttributes: Sendable {
    private typealias Entry = (name: String, value: SavedAttribute)
    private var first: Entry?
    private var rest: [Entry] = []

    public subscript(name: String) -> SavedAttribute? {
        get {
            if let first, first.name == name { return first.value }
            return rest.first { $0.name == name }?.value
        }
        set {
            if let first, first.name == name {
                if let newValue {
                    self.first = (name, newValue)
                } else {
                    self.first = rest.isEmpty ? nil : rest.removeFirst()
                }
                return
            }
            let i = rest.firstIndex { $0.name == name }
            switch (i, newValue) {
            case let (i?, value?): rest[i].value = value
            case let (i?, nil): rest.remove(at: i)
            case let (nil, value?):
                if first == nil { first = (name, value) } else { rest.append((name, value)) }
            case (nil, nil): break
            }
        }
    }
}

/// A statement of the script, as anomaly detection reports where a forward
/// op ran (`File "mlp.json", line 5, in <module>` and the line's text).
public struct ForwardLocation: Equatable, Sendable {
    /// The script's frames, outermost first, as Python's traceback lists them.
    public let frames: [ForwardFrame]
    public init(frames: [ForwardFrame]) { self.frames = frames }
}

/// One frame of a forward call's traceback: `File "f.py", line 5, in forward`.
public struct ForwardFrame: Equatable, Sendable {
    public let file: String
    public let line: Int
    /// The function's name (`<module>` at the top level).
    public let function: String
    /// The line's text without its indentation.
    public let source: String
    public init(file: String, line: Int, function: String, source: String) {
        self.file = file
        self.line = line
        self.function = function
        self.source = source
    }
}

/// A weak reference, for the graph's back-pointers to tensors.
struct WeakTensor {
    weak var tensor: Tensor?
}
