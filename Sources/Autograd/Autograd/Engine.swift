/// The backward engine: `Tensor.backward` and `torch.autograd.grad`.
///
/// Iterative and dependency-counted, as PyTorch's engine is: a node runs once
/// every gradient flowing into it has arrived, later-created nodes first, so a
/// chain of 100,000 ops needs no recursion.
public enum Engine {
    /// `torch.autograd.backward(roots, grads, retain_graph, create_graph)`:
    /// accumulates into the `.grad` of every leaf the roots reach.
    public static func backward(_ roots: [Tensor], grads: [Tensor?], retainGraph: Bool? = nil,
                                createGraph: Bool = false) throws {
        let rootGrads = try makeGrads(roots, grads)
        var task = GraphTask(keepGraph: retainGraph ?? createGraph, createGraph: createGraph, captureInputs: nil)
        _ = try task.run(roots: roots, grads: rootGrads)
    }

    /// `torch.autograd.grad(outputs, inputs, grad_outputs, ...)`: returns the
    /// gradient of each input without touching any `.grad`.
    public static func grad(outputs: [Tensor], inputs: [Tensor], gradOutputs: [Tensor?],
                            retainGraph: Bool? = nil, createGraph: Bool = false,
                            allowUnused: Bool = false) throws -> [Tensor?] {
        let rootGrads = try makeGrads(outputs, gradOutputs)
        // The roots are checked first, as PyTorch's run_backward does.
        for (i, root) in outputs.enumerated() where !root.requiresGrad {
            throw root.runtime.raise(Messages.noGradFn(i), .rootWithoutGrad(index: i, root: root))
        }
        if inputs.contains(where: { !$0.requiresGrad }) {
            throw TorchError.runtime("One of the differentiated Tensors does not require grad")
        }
        for input in inputs { try input.checkViewRebase() }
        var task = GraphTask(keepGraph: retainGraph ?? createGraph, createGraph: createGraph,
                             captureInputs: inputs.map { $0.gradientEdge() })
        let captured = try task.run(roots: outputs, grads: rootGrads)
        for (i, grad) in captured.enumerated() where grad == nil && !allowUnused {
            throw TorchError.runtime("The differentiated Tensor at index \(i) appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.")
        }
        return captured
    }

    /// `torch.autograd._make_grads`: an implicit gradient of ones for scalar
    /// roots, and PyTorch's checks on the ones given.
    static func makeGrads(_ roots: [Tensor], _ grads: [Tensor?]) throws -> [Tensor?] {
        try roots.enumerated().map { i, root in
            if let grad = i < grads.count ? grads[i] : nil {
                guard grad.shape == root.shape else {
                    throw TorchError.runtime("Mismatch in shape: grad_output[\(i)] has a shape of \(Shape.describe(grad.shape)) and output[\(i)] has a shape of \(Shape.describe(root.shape)).")
                }
                return grad
            }
            guard root.requiresGrad else { return nil }
            guard root.numel == 1 else { throw TorchError.runtime(Messages.implicitScalar) }
            return Tensor.full(root.runtime, value: 1, shape: root.shape, dtype: root.dtype)
        }
    }
}

/// One run of the engine over one graph.
///
/// The per-node state (pending dependencies, the gradient summed so far) is
/// kept in `entries`, indexed by each node's position in the graph. Positions are
/// handed out while counting dependencies, marked on the nodes themselves
/// (`Node.discovery`) under this task's id, and each edge's target position
/// is recorded then too: running the graph looks nothing up by identity, and
/// a backward started from a hook, later, can mark the nodes for itself.
private struct GraphTask {
    let keepGraph: Bool
    let createGraph: Bool
    /// For autograd.grad: the edges whose gradients are returned.
    let captureInputs: [Edge]?
    /// Who watches this pass's gradients (`Runtime.gradientFlow` when it starts).
    private var flow: GradientFlowRecorder?

    /// What the task knows about one node of the graph.
    struct Entry {
        let node: Node
        /// Edges still to deliver a gradient before the node can run.
        var dependencies = 0
        /// The sum of the gradients delivered so far (for the node's first
        /// output; see `otherBuffers`).
        var buffer: Tensor?
        /// For a node with several outputs (UnbindBackward0): the sums for
        /// outputs 1, 2, ... (PyTorch's `InputBuffer` has one slot per
        /// output); empty for every other node.
        var otherBuffers: [Tensor?] = []
        /// Whether only the engine can see `buffer`: made by a formula or a
        /// sum, not given by the script (a root's gradient) nor seen by its
        /// hooks. See Note [Stealing a gradient].
        var bufferIsPrivate = false
        /// Whether a later gradient may be added into `buffer` in place
        /// (private, and not a custom Function's result, which the script
        /// may still hold). See Note [Accumulating in the input buffer].
        var bufferAcceptsInPlace = false
        /// Where the node's edges' targets start in `edgeTargets`.
        var firstEdge = 0
    }

    /// Every node reachable from the roots, in discovery order.
    var entries: [Entry] = []
    /// This task's id in `Node.discovery` marks (given when it runs).
    private var id = 0
    /// The position of each edge's function, node after node (-1: no function).
    var edgeTargets: [Int] = []
    /// For autograd.grad: per node, whether it is on a path to a captured input.
    var needed: [Bool]? = nil
    /// Note [Holders of a gradient]: PyTorch accumulates into a gradient in
    /// place, or steals it as a leaf's `.grad`, only when nothing else holds
    /// the tensor or its storage (its use counts). Here a gradient one node
    /// hands to several edges (AddBackward0's `[grad, grad]`) is tracked:
    /// how many buffers hold it plus how many deliveries of it are still to
    /// come (untracked gradients have one holder). It is written or stolen
    /// only once it has one holder left.
    var sharedHolders: [ObjectIdentifier: Int] = [:]

    init(keepGraph: Bool, createGraph: Bool, captureInputs: [Edge]?) {
        self.keepGraph = keepGraph
        self.createGraph = createGraph
        self.captureInputs = captureInputs
    }

    mutating func run(roots: [Tensor], grads: [Tensor?]) throws -> [Tensor?] {
        var rootEdges: [Edge] = []
        for (i, root) in roots.enumerated() {
            try root.checkViewRebase()
            let edge = root.gradientEdge()
            guard edge.function != nil, grads[i] != nil else {
                throw root.runtime.raise(Messages.noGradFn(i), .rootWithoutGrad(index: i, root: root))
            }
            rootEdges.append(edge)
        }
        guard let runtime = roots.first?.runtime else { return [] }
        id = runtime.nextGraphTaskID()
        flow = runtime.gradientFlow
        flow?.seeds(grads)
        let rootPositions = countDependencies(from: rootEdges.compactMap(\.function))
        if let captureInputs { needed = neededNodes(from: rootPositions, targets: captureInputs) }

        var captured = [Tensor?](repeating: nil, count: captureInputs?.count ?? 0)
        var ready = ReadyQueue()
        for (i, position) in rootPositions.enumerated() {
            guard let grad = grads[i] else { continue }
            if rootEdges[i].inputNr > 0 {
                try addToOtherBuffer(position, rootEdges[i].inputNr, grad)
            } else {
                try addToBuffer(position, grad, isPrivate: false, acceptsInPlace: false)
            }
        }
        var queuedRoots: [Int] = []
        for position in rootPositions where entries[position].dependencies == 0 && !queuedRoots.contains(position) {
            queuedRoots.append(position)
            ready.push(position, priority: entries[position].node.priority)
        }

        let previous = (runtime.gradEnabled, runtime.inBackwardWithCreateGraph)
        runtime.gradEnabled = createGraph
        runtime.inBackwardWithCreateGraph = createGraph
        defer { (runtime.gradEnabled, runtime.inBackwardWithCreateGraph) = previous }

        while let position = ready.pop() {
            let node = entries[position].node
            if let multi = node as? MultiOutputNode {
                try runMultiOutput(multi, at: position, captured: &captured, ready: &ready)
                continue
            }
            var grad: Tensor? = nil
            swap(&grad, &entries[position].buffer)
            var gradIsPrivate = entries[position].bufferIsPrivate
            if let g = grad {
                release(g)
                grad = try applyPreHooks(node, g)
                if hasScriptPreHooks(node) { gradIsPrivate = false }
            }
            if let captureInputs, let grad {
                for (i, edge) in captureInputs.enumerated() where edge.function === node && edge.inputNr == 0 {
                    captured[i] = grad
                    gradIsPrivate = false  // returned to the script
                }
            }
            if let needed, !needed[position] { continue }
            flow?.ran(node, received: [grad])
            let outputs: [Tensor?]
            if let accumulate = node as? AccumulateGrad {
                if let grad {
                    try accumulate.accumulate(grad, stealable: gradIsPrivate && sharedHolders[ObjectIdentifier(grad)] == nil)
                }
                outputs = []
            } else if let grad {
                outputs = try call(node) { try node.apply(grad) }
            } else {
                outputs = []
            }
            try deliver(outputs, of: node, at: position, given: grad, givenIsPrivate: gradIsPrivate, ready: &ready)
        }
        return captured
    }

    /// Runs `body`, a node's formula, with the engine's bookkeeping around
    /// it: its saved tensors freed unless the graph is kept, anomaly mode's
    /// NaN check and its report of where a failing node came from.
    private func call(_ node: Node, _ body: () throws -> [Tensor?]) throws -> [Tensor?] {
        let runtime = node.runtime
        do {
            let outputs = try body()
            if !keepGraph { node.releaseVariables() }
            if runtime.anomalyDetection && runtime.anomalyCheckNaN { try checkForNaN(node, outputs) }
            return outputs
        } catch {
            if runtime.anomalyDetection { runtime.warn(Self.anomalyWarning(node)) }
            throw error
        }
    }

    /// Hands a node's results to the buffers of the functions its edges lead
    /// to, and queues those that have everything they wait for.
    private mutating func deliver(_ outputs: [Tensor?], of node: Node, at position: Int, given grad: Tensor?,
                                  givenIsPrivate gradIsPrivate: Bool, ready: inout ReadyQueue) throws {
        let edges = entries[position].firstEdge
        if outputs.count > 1 || !sharedHolders.isEmpty { noteSharedOutputs(outputs, edges: edges) }
        if let grad {
            for case let output? in outputs where output !== grad && output.storage === grad.storage {
                grad.hasGradientViews = true
            }
        }
        let outputsAcceptInPlace = !(node is CustomFunctionNode)
        for (i, input) in node.inputs.enumerated() {
            let next = edgeTargets[edges + i]
            guard next >= 0 else { continue }
            if i < outputs.count, let g = outputs[i] {
                let validated = try validate(g, input.metadata)
                // A new tensor travels instead: `g` is not delivered here.
                if validated !== g { release(g) }
                flow?.passed(validated, along: i)
                if input.edge.inputNr > 0 {
                    try addToOtherBuffer(next, input.edge.inputNr, validated)
                } else {
                    // A new tensor, or the very gradient the node was given.
                    // NOTE: a custom Function's are taken as new too: PyTorch
                    // steals them unless the script still holds them.
                    let isPrivate = validated !== g || g !== grad || gradIsPrivate
                    try addToBuffer(next, validated, isPrivate: isPrivate,
                                    acceptsInPlace: isPrivate && (outputsAcceptInPlace || validated !== g))
                }
            }
            entries[next].dependencies -= 1
            if entries[next].dependencies == 0 { ready.push(next, priority: entries[next].node.priority) }
        }
    }

    /// A node with several outputs: each output's gradient goes through the
    /// hooks of the tensor it belongs to, and the formula gets them all (nil
    /// for an output no gradient reached).
    private mutating func runMultiOutput(_ node: MultiOutputNode, at position: Int, captured: inout [Tensor?],
                                         ready: inout ReadyQueue) throws {
        var grads = [Tensor?](repeating: nil, count: node.outputCount)
        grads[0] = entries[position].buffer
        for (k, g) in entries[position].otherBuffers.enumerated() { grads[k + 1] = g }
        entries[position].buffer = nil
        entries[position].otherBuffers = []
        for k in grads.indices {
            guard let g = grads[k] else {
                // PyTorch runs an output's hooks even when no gradient
                // reached it: they are called with None.
                for hook in node.tensorPreHooks[k] ?? [] { grads[k] = try hook.fn(grads[k]) ?? grads[k] }
                continue
            }
            release(g)
            grads[k] = try applyPreHooks(node, g, output: k)
            if let captureInputs {
                for (i, edge) in captureInputs.enumerated() where edge.function === node && edge.inputNr == k {
                    captured[i] = grads[k]
                }
            }
        }
        if let needed, !needed[position] { return }
        flow?.ran(node, received: grads)
        let outputs = grads.contains { $0 != nil } ? try call(node) { try node.apply(all: grads) } : []
        try deliver(outputs, of: node, at: position, given: nil, givenIsPrivate: true, ready: &ready)
    }

    /// Adds a gradient for output `k` (> 0) of a node with several outputs.
    /// Out of place: these sums only feed the node's own formula.
    mutating func addToOtherBuffer(_ position: Int, _ k: Int, _ grad: Tensor) throws {
        var buffers = entries[position].otherBuffers
        entries[position].otherBuffers = []
        if buffers.count < k { buffers += [Tensor?](repeating: nil, count: k - buffers.count) }
        if let existing = buffers[k - 1] {
            release(existing)
            release(grad)
            buffers[k - 1] = try existing.add(grad)
        } else {
            buffers[k - 1] = grad
        }
        entries[position].otherBuffers = buffers
    }

    /// Gives every node reachable from `roots` a position, counts the edges
    /// pointing into each, and records where each edge leads. Returns the
    /// roots' positions. A node is walked once even when it is several roots
    /// (`backward([y, y])`), so its inputs wait for one delivery, not two.
    mutating func countDependencies(from roots: [Node]) -> [Int] {
        var stack: [Int] = []
        let rootPositions = roots.map { root -> Int in
            let (position, isNew) = discover(root)
            if isNew { stack.append(position) }
            return position
        }
        while let position = stack.popLast() {
            entries[position].firstEdge = edgeTargets.count
            for input in entries[position].node.inputs {
                guard let next = input.edge.function else {
                    edgeTargets.append(-1)
                    continue
                }
                let (target, isNew) = discover(next)
                edgeTargets.append(target)
                entries[target].dependencies += 1
                if isNew { stack.append(target) }
            }
        }
        return rootPositions
    }

    /// The position of `node`, giving it one (with empty state) on first sight.
    private mutating func discover(_ node: Node) -> (position: Int, isNew: Bool) {
        if node.discovery.task == id { return (node.discovery.position, false) }
        let position = entries.count
        node.discovery = (id, position)
        entries.append(Entry(node: node))
        return (position, true)
    }

    /// The position `discover` gave `node`, if it is in this graph.
    private func position(of node: Node) -> Int? {
        node.discovery.task == id ? node.discovery.position : nil
    }

    /// Nodes from which a captured input can be reached (PyTorch's exec_info);
    /// AccumulateGrad nodes are never run by autograd.grad.
    func neededNodes(from roots: [Int], targets: [Edge]) -> [Bool] {
        var isTarget = [Bool](repeating: false, count: entries.count)
        for edge in targets {
            if let fn = edge.function, let position = position(of: fn) { isTarget[position] = true }
        }
        var needed = [Bool](repeating: false, count: entries.count)
        var visited = [Bool](repeating: false, count: entries.count)
        // Iterative post-order DFS: a node is needed if any child is a target
        // or needed.
        var stack: [(position: Int, child: Int)] = roots.map { ($0, 0) }
        while let (position, child) = stack.popLast() {
            if child == 0 {
                if visited[position] { continue }
                visited[position] = true
            }
            let node = entries[position].node, edges = entries[position].firstEdge
            if child < node.inputs.count {
                stack.append((position, child + 1))
                let next = edgeTargets[edges + child]
                if next >= 0 && !visited[next] { stack.append((next, 0)) }
                continue
            }
            if node is AccumulateGrad { continue }
            needed[position] = (0..<node.inputs.count).contains { i in
                let next = edgeTargets[edges + i]
                return next >= 0 && (isTarget[next] || needed[next])
            }
        }
        return needed
    }

    /// Note [Accumulating in the input buffer]: PyTorch's `InputBuffer`
    /// adds a second gradient into the first in place (`old.add_(new)`, else
    /// `new.add_(old)`) when grad mode is off and nothing else holds that
    /// tensor or its storage, so the buffer's tensor — often stolen as a
    /// leaf's `.grad` — has version 1 (`(p * p).sum().backward()`: `p.grad`
    /// is at version 1). Here "nothing else" is: private, handed to one
    /// buffer, not a view (a view's base may be held elsewhere) and dense.
    mutating func addToBuffer(_ position: Int, _ grad: Tensor, isPrivate: Bool, acceptsInPlace: Bool) throws {
        if let existing = entries[position].buffer {
            // Written in place only where this buffer (or this delivery) is
            // the gradient's one holder (Note [Holders of a gradient]): the
            // very tensor arriving a second time never is.
            if !createGraph && entries[position].bufferAcceptsInPlace && canAccumulateInPlace(existing, grad) {
                try existing.accumulateInPlace(grad)
                release(grad)
            } else if !createGraph && acceptsInPlace && canAccumulateInPlace(grad, existing) {
                try grad.accumulateInPlace(existing)
                entries[position].buffer = grad
                release(existing)
            } else {
                entries[position].buffer = try existing.add(grad)
                entries[position].bufferAcceptsInPlace = true
                release(existing)
                release(grad)
            }
            entries[position].bufferIsPrivate = true
        } else {
            entries[position].buffer = grad
            entries[position].bufferIsPrivate = isPrivate
            entries[position].bufferAcceptsInPlace = acceptsInPlace
        }
    }

    /// Whether `other` can be added into `target` in place (see the note above).
    func canAccumulateInPlace(_ target: Tensor, _ other: Tensor) -> Bool {
        target.base == nil && target.isNonOverlappingAndDense && !target.isZeroTensor
            && (sharedHolders.isEmpty || (sharedHolders[ObjectIdentifier(target)] ?? 1) <= 1)
            && !target.hasGradientViews
            && target.shape == other.shape && target.dtype == other.dtype && !target.requiresGrad
    }

    /// Counts the deliveries to come of each gradient in `outputs` that is
    /// tracked, or that goes to more than one edge (and is tracked from now
    /// on): Note [Holders of a gradient].
    mutating func noteSharedOutputs(_ outputs: [Tensor?], edges: Int) {
        for i in outputs.indices {
            guard let g = outputs[i], edgeTargets[edges + i] >= 0 else { continue }
            // Each distinct tensor once, at its first delivery.
            if outputs[..<i].indices.contains(where: { outputs[$0] === g && edgeTargets[edges + $0] >= 0 }) { continue }
            let deliveries = 1 + outputs[(i + 1)...].indices.filter { outputs[$0] === g && edgeTargets[edges + $0] >= 0 }.count
            let id = ObjectIdentifier(g)
            if deliveries > 1 || sharedHolders[id] != nil { sharedHolders[id, default: 0] += deliveries }
        }
    }

    /// A buffer gives up `grad`, or a delivery of it is done: one holder fewer.
    mutating func release(_ grad: Tensor) {
        guard !sharedHolders.isEmpty, let count = sharedHolders[ObjectIdentifier(grad)] else { return }
        sharedHolders[ObjectIdentifier(grad)] = count <= 1 ? nil : count - 1
    }

    /// Whether the script's own hooks see the gradient `node` is given.
    func hasScriptPreHooks(_ node: Node) -> Bool {
        if let accumulate = node as? AccumulateGrad { return !accumulate.variable.hooks.isEmpty }
        return !(node.tensorPreHooks[0]?.isEmpty ?? true)
    }

    /// PyTorch's `validate_outputs`: sums a broadcast gradient back to the
    /// input's shape and casts it to the input's dtype.
    func validate(_ grad: Tensor, _ meta: InputMetadata?) throws -> Tensor {
        guard let meta else { return grad }
        var g = grad
        if g.shape != meta.shape {
            guard Shape.isExpandable(meta.shape, to: g.shape) else {
                throw TorchError.runtime("Function returned an invalid gradient - got \(Shape.list(g.shape)) but expected shape compatible with \(Shape.list(meta.shape))")
            }
            g = try g.sumTo(meta.shape)
        }
        if g.dtype != meta.dtype { g = try g.to(meta.dtype) }
        return g
    }

    /// Hooks registered on the tensor this node produced, and retain_grad.
    func applyPreHooks(_ node: Node, _ grad: Tensor, output: Int = 0) throws -> Tensor {
        var grad = grad
        if let accumulate = node as? AccumulateGrad {
            for hook in accumulate.variable.hooks { if let r = try hook.fn(grad) { grad = r } }
            return grad
        }
        for hook in node.tensorPreHooks[output] ?? [] { if let r = try hook.fn(grad) { grad = r } }
        if let tensor = node.retainedOutputs[output]?.tensor, tensor.gradFn === node {
            if let existing = tensor.grad {
                tensor.grad = try existing.add(grad)
            } else {
                tensor.grad = grad.runtime.gradEnabled && grad.requiresGrad
                    ? try grad.clone() : grad.detachedCopy(dtype: tensor.dtype)
            }
        }
        return grad
    }

    /// PyTorch's anomaly-mode report for the node whose backward failed:
    /// the forward line that created it, in every frame of the script.
    static func anomalyWarning(_ node: Node) -> String {
        guard let location = node.forwardLocation else {
            return "UserWarning: Error detected in \(node.name). No forward pass information available. Enable detect anomaly during forward pass for more information. (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_anomaly_mode.cpp:90.)"
        }
        return "UserWarning: Error detected in \(node.name). Traceback of forward call that caused the error:\n"
            + location.frames.map { "  File \"\($0.file)\", line \($0.line), in \($0.function)\n    \($0.source)\n" }.joined()
            + " (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_anomaly_mode.cpp:108.)"
    }

    func checkForNaN(_ node: Node, _ outputs: [Tensor?]) throws {
        for (i, output) in outputs.enumerated() {
            guard let output, output.values.contains(where: \.isNaN) else { continue }
            throw TorchError.runtime("Function '\(node.name)' returned nan values in its \(i)th output.")
        }
    }
}

/// Ready nodes (by position in the task), latest-created first
/// (AccumulateGrad has the highest rank), as PyTorch's ReadyQueue orders them.
private struct ReadyQueue {
    private var heap: [(priority: Int, position: Int)] = []

    mutating func push(_ position: Int, priority: Int) {
        heap.append((priority, position))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[parent].priority < heap[i].priority else { break }
            heap.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> Int? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var largest = i
            if l < heap.count && heap[l].priority > heap[largest].priority { largest = l }
            if r < heap.count && heap[r].priority > heap[largest].priority { largest = r }
            if largest == i { break }
            heap.swapAt(i, largest)
            i = largest
        }
        return top.position
    }
}

extension Tensor {
    /// `self += other` for a gradient buffer (outside grad mode, same shape
    /// and dtype, `self` dense with no other holder): straight into the
    /// storage, rounded to the dtype as `add` rounds, with the version bump
    /// of PyTorch's in-place add; a general `addInPlace` through
    /// `Tensor.inPlace` for layouts this loop does not cover.
    fileprivate func accumulateInPlace(_ other: Tensor) throws {
        guard hasContiguousStrides, other.hasContiguousStrides, storage !== other.storage else {
            try runtime.withGradMode(false) { try addInPlace(other) }
            return
        }
        let (n, start, otherStart, dtype) = (numel, offset, other.offset, self.dtype)
        other.storage.withElements { source in
            storage.withElements { target in
                for i in 0..<n { target[start + i] = dtype.round(target[start + i] + source[otherStart + i]) }
            }
        }
        versionCounter.bump(at: runtime.origin)
    }
}
