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
        for (i, input) in inputs.enumerated() where !input.requiresGrad {
            _ = i
            throw TorchError.runtime("One of the differentiated Tensors does not require grad")
        }
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
private struct GraphTask {
    let keepGraph: Bool
    let createGraph: Bool
    /// For autograd.grad: the edges whose gradients are returned.
    let captureInputs: [Edge]?

    var dependencies: [ObjectIdentifier: Int] = [:]
    var buffers: [ObjectIdentifier: Tensor] = [:]
    /// For autograd.grad: the nodes on a path to a captured input.
    var needed: Set<ObjectIdentifier>? = nil

    init(keepGraph: Bool, createGraph: Bool, captureInputs: [Edge]?) {
        self.keepGraph = keepGraph
        self.createGraph = createGraph
        self.captureInputs = captureInputs
    }

    mutating func run(roots: [Tensor], grads: [Tensor?]) throws -> [Tensor?] {
        var rootEdges: [Edge] = []
        for (i, root) in roots.enumerated() {
            let edge = root.gradientEdge()
            guard edge.function != nil, grads[i] != nil else { throw TorchError.runtime(Messages.noGradFn(i)) }
            rootEdges.append(edge)
        }
        guard let runtime = roots.first?.runtime else { return [] }
        let rootNodes = rootEdges.compactMap(\.function)
        countDependencies(from: rootNodes)
        if let captureInputs { needed = neededNodes(from: rootNodes, targets: captureInputs) }

        var captured = [Tensor?](repeating: nil, count: captureInputs?.count ?? 0)
        var ready = ReadyQueue()
        for (edge, grad) in zip(rootEdges, grads) {
            guard let fn = edge.function, let grad else { continue }
            try addToBuffer(fn, grad)
        }
        for fn in rootNodes where dependencies[ObjectIdentifier(fn)] == nil {
            if !ready.contains(fn) { ready.push(fn) }
        }

        let previous = (runtime.gradEnabled, runtime.inBackwardWithCreateGraph)
        runtime.gradEnabled = createGraph
        runtime.inBackwardWithCreateGraph = createGraph
        defer { (runtime.gradEnabled, runtime.inBackwardWithCreateGraph) = previous }

        while let node = ready.pop() {
            let key = ObjectIdentifier(node)
            var grad = buffers.removeValue(forKey: key)
            if let g = grad { grad = try applyPreHooks(node, g) }
            if let captureInputs, let grad {
                for (i, edge) in captureInputs.enumerated() where edge.function === node {
                    captured[i] = grad
                }
            }
            if let needed, !needed.contains(key) { continue }
            let outputs: [Tensor?]
            if let accumulate = node as? AccumulateGrad {
                if let grad { try accumulate.accumulate(grad) }
                outputs = []
            } else if let grad {
                do {
                    outputs = try node.apply([grad])
                    if !keepGraph { node.releaseVariables() }
                    if runtime.anomalyDetection && runtime.anomalyCheckNaN { try checkForNaN(node, outputs) }
                } catch {
                    if runtime.anomalyDetection { runtime.warn(Self.anomalyWarning(node)) }
                    throw error
                }
            } else {
                outputs = Array(repeating: nil, count: node.nextEdges.count)
            }
            for (i, edge) in node.nextEdges.enumerated() {
                guard let next = edge.function else { continue }
                if i < outputs.count, let g = outputs[i] {
                    try addToBuffer(next, validate(g, node.inputMetadata[i]))
                }
                let nextKey = ObjectIdentifier(next)
                let remaining = (dependencies[nextKey] ?? 1) - 1
                dependencies[nextKey] = remaining
                if remaining == 0 { ready.push(next) }
            }
        }
        return captured
    }

    /// How many edges point into each node reachable from the roots.
    mutating func countDependencies(from roots: [Node]) {
        var seen = Set(roots.map(ObjectIdentifier.init))
        var stack = roots
        while let node = stack.popLast() {
            for edge in node.nextEdges {
                guard let next = edge.function else { continue }
                let key = ObjectIdentifier(next)
                dependencies[key, default: 0] += 1
                if seen.insert(key).inserted { stack.append(next) }
            }
        }
    }

    /// Nodes from which a captured input can be reached (PyTorch's exec_info);
    /// AccumulateGrad nodes are never run by autograd.grad.
    func neededNodes(from roots: [Node], targets: [Edge]) -> Set<ObjectIdentifier> {
        let targetKeys = Set(targets.compactMap { $0.function.map(ObjectIdentifier.init) })
        var needed = Set<ObjectIdentifier>()
        var visited = Set<ObjectIdentifier>()
        // Iterative post-order DFS: a node is needed if it is a target's
        // parent chain, i.e. any child is a target or needed.
        var stack: [(Node, Int)] = roots.map { ($0, 0) }
        while let (node, child) = stack.popLast() {
            let key = ObjectIdentifier(node)
            if child == 0 && !visited.insert(key).inserted { continue }
            if child < node.nextEdges.count {
                stack.append((node, child + 1))
                if let next = node.nextEdges[child].function, !visited.contains(ObjectIdentifier(next)) {
                    stack.append((next, 0))
                }
                continue
            }
            if node is AccumulateGrad { continue }
            let reachesTarget = node.nextEdges.contains { edge in
                guard let next = edge.function else { return false }
                let k = ObjectIdentifier(next)
                return targetKeys.contains(k) || needed.contains(k)
            }
            if reachesTarget { needed.insert(key) }
        }
        return needed
    }

    mutating func addToBuffer(_ node: Node, _ grad: Tensor) throws {
        let key = ObjectIdentifier(node)
        if let existing = buffers[key] {
            buffers[key] = try existing.add(grad)
        } else {
            buffers[key] = grad
        }
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
    func applyPreHooks(_ node: Node, _ grad: Tensor) throws -> Tensor {
        var grad = grad
        if let accumulate = node as? AccumulateGrad {
            for hook in accumulate.variable.hooks { if let r = try hook.fn(grad) { grad = r } }
            return grad
        }
        for hook in node.tensorPreHooks[0] ?? [] { if let r = try hook.fn(grad) { grad = r } }
        if let tensor = node.retainedOutputs[0]?.tensor, tensor.gradFn === node {
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
    /// the forward line that created it (only the script's own frame).
    static func anomalyWarning(_ node: Node) -> String {
        guard let location = node.forwardLocation else {
            return "UserWarning: Error detected in \(node.name). No forward pass information available. Enable detect anomaly during forward pass for more information. (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_anomaly_mode.cpp:90.)"
        }
        return "UserWarning: Error detected in \(node.name). Traceback of forward call that caused the error:\n"
            + "  File \"\(location.file)\", line \(location.line), in <module>\n    \(location.source)\n"
            + " (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_anomaly_mode.cpp:108.)"
    }

    func checkForNaN(_ node: Node, _ outputs: [Tensor?]) throws {
        for (i, output) in outputs.enumerated() {
            guard let output, output.values.contains(where: \.isNaN) else { continue }
            throw TorchError.runtime("Function '\(node.name)' returned nan values in its \(i)th output.")
        }
    }
}

/// Ready nodes, latest-created first (AccumulateGrad has the highest rank),
/// as PyTorch's ReadyQueue orders them.
private struct ReadyQueue {
    private var heap: [Node] = []
    private var members = Set<ObjectIdentifier>()

    func contains(_ node: Node) -> Bool { members.contains(ObjectIdentifier(node)) }

    mutating func push(_ node: Node) {
        members.insert(ObjectIdentifier(node))
        heap.append(node)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[parent].priority < heap[i].priority else { break }
            heap.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> Node? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        members.remove(ObjectIdentifier(top))
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
        return top
    }
}
