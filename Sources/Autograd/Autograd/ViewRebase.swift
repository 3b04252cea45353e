// Note [View rebase]
//
// A view shares its base's storage and version counter, so a write through
// either changes both, and PyTorch rewrites the graph to keep every alias's
// gradient right (torch/csrc/autograd/variable.cpp):
//
// * An in-place op on a view records its node `fn` as usual (first input:
//   the view's history), then gives the *base* a `CopySlices` node
//   (`rebaseHistory`): its first edge is the base's old history, the others
//   are fn's. Backward runs fn on the view's region of the base's gradient
//   and writes fn's first result back into that region; the rest of the
//   gradient flows to the old history unchanged.
// * Every view whose version counter moved since its grad_fn was made gets,
//   when next asked, a new grad_fn: `AsStridedBackward0` of the base's
//   current history (`regeneratedViewGradFn`, PyTorch's
//   `VariableHooks::grad_fn`). So after `v = y.t(); y.mul_(2)` the gradient
//   of `v` goes through the multiplication, and after `v.mul_(2)` the view
//   itself reads its new history through the base's CopySlices.
//
// Both address the view's elements as positions in its base, computed from
// the two layouts (PyTorch's as_strided geometry, `ViewGeometry`).

/// Where a view's elements sit in its base: both layouts over one storage.
struct ViewGeometry {
    let baseShape: [Int], baseStrides: [Int], baseOffset: Int
    let shape: [Int], strides: [Int], offset: Int

    init(view: Tensor, base: Tensor) {
        baseShape = base.shape
        baseStrides = base.strides
        baseOffset = base.offset
        shape = view.shape
        strides = view.strides
        offset = view.offset
    }

    /// The row-major index in the base of each element of the view, in the
    /// view's row-major order.
    func positions() throws -> [Int] {
        let viewOffsets = StridedOffsets(shape: shape, strides: strides, offset: offset)
        let count = Shape.numel(baseShape)
        if baseStrides == Shape.contiguousStrides(baseShape) {
            return try viewOffsets.map { o in
                let i = o - baseOffset
                guard i >= 0 && i < count else { throw Self.outside }
                return i
            }
        }
        var indexOf: [Int: Int] = [:]
        for (i, o) in StridedOffsets(shape: baseShape, strides: baseStrides, offset: baseOffset).enumerated() {
            guard indexOf.updateValue(i, forKey: o) == nil else {
                throw TorchError.notImplemented("autograd-viz does not model in-place operations on a view of a tensor whose elements overlap in memory")
            }
        }
        return try viewOffsets.map { o in
            guard let i = indexOf[o] else { throw Self.outside }
            return i
        }
    }

    private static let outside = TorchError.notImplemented("autograd-viz does not model a view that reaches outside its base")
}

extension Tensor {
    /// The grad_fn of a view whose base (or another view of it) was written
    /// in place since its grad_fn was made: `AsStridedBackward0` of the base.
    /// Nil, and left stale, while neither has any history (as in PyTorch).
    func regeneratedViewGradFn(base: Tensor) -> Node? {
        if recordedViewGradFn == nil && !base.requiresGrad { return nil }
        viewVersion = version
        let geometry = ViewGeometry(view: self, base: base)
        let node = Node(name: "AsStridedBackward0", runtime: runtime, inputs: [base]) { _, grad in
            [try grad.scattered(geometry.positions(), into: geometry.baseShape)]
        }
        gradFn = node
        outputNr = 0
        if retainsGrad { node.retainedOutputs[0] = WeakTensor(tensor: self) }
        return node
    }

    /// After `fn`, an in-place op on this view, wrote through it: the base
    /// gets `CopySlices` around `fn` (Note [View rebase]). The view's own
    /// grad_fn is regenerated when next read, its version having moved.
    func rebaseHistory(onto base: Tensor, _ fn: Node) {
        let geometry = ViewGeometry(view: self, base: base)
        let history = NodeInput(edge: base.gradientEdge(), metadata: InputMetadata(shape: base.shape, dtype: base.dtype))
        let node = Node(name: "CopySlices", runtime: runtime, edges: { [history] + fn.nodeInputs.dropFirst() }) { node, grad in
            guard let fn = node.wrapped else { throw TorchError.runtime(Messages.backwardTwice) }
            let positions = try geometry.positions()
            let slice = try grad.gathered(positions, shape: geometry.shape)
            let results = try fn.apply(slice)
            var grads: [Tensor?] = [nil] + results.dropFirst()
            if node.needsInputGrad(0) {
                let region = try results.first.flatMap { $0 } ?? slice.zerosLike()
                grads[0] = try grad.replacing(positions, with: region)
            }
            return grads
        }
        node.wrapped = fn
        base.gradFn = node
        base.outputNr = 0
        if base.retainsGrad { node.retainedOutputs[0] = WeakTensor(tensor: base) }
    }

    /// The elements of this tensor at `positions` (row-major indices), as a
    /// tensor of `shape`: `as_strided` of a base-shaped gradient.
    func gathered(_ positions: [Int], shape: [Int]) throws -> Tensor {
        let flat = values
        let out = make(positions.map { flat[$0] }, shape, dtype)
        return try Tensor.record("AsStridedBackward0", inputs: [self], output: out) { [baseShape = self.shape] _, grad in
            [try grad.scattered(positions, into: baseShape)]
        }
    }

    /// Zeros of `baseShape` with this tensor's elements added at `positions`
    /// (repeated positions accumulate, as as_strided's backward does).
    func scattered(_ positions: [Int], into baseShape: [Int]) throws -> Tensor {
        var sums = [Double](repeating: 0, count: Shape.numel(baseShape))
        for (v, p) in Swift.zip(values, positions) { sums[p] += v }
        let out = make(sums.map(dtype.round), baseShape, dtype)
        return try Tensor.record("AsStridedScatterBackward0", inputs: [self], output: out) { [shape] _, grad in
            [try grad.gathered(positions, shape: shape)]
        }
    }

    /// This base-shaped tensor with the elements at `positions` replaced by
    /// `region`'s (differentiable in both).
    func replacing(_ positions: [Int], with region: Tensor) throws -> Tensor {
        let inside = Tensor.zeros(runtime, shape: shape, dtype: .bool)
        inside.storage.withElements { data in for p in positions { data[p] = 1 } }
        return try Tensor.where(inside, region.scattered(positions, into: shape), self)
    }
}

/// How a view was made (PyTorch's `CreationMeta`), which decides whether it
/// may be written in place under grad mode.
enum ViewCreation {
    /// By a view op under grad mode: writes are rebased (Note [View rebase]).
    case normal
    /// Under no_grad: PyTorch cannot tell whether a write should be tracked.
    case noGrad
    /// As one of several views one op returned (`unbind`, iterating a
    /// tensor): their shared node cannot be rewritten for one of them.
    case multiOutput
}

extension Tensor {
    /// Whether this view's base, or another view of it, was written in place
    /// since it was made, and the view is one PyTorch then refuses to use
    /// (its grad_fn cannot be regenerated): `checkViewRebase` raises.
    var isStaleRestrictedView: Bool {
        guard let madeAt = viewVersion, madeAt != version, viewCreation != .normal, let base else { return false }
        return recordedViewGradFn != nil || base.requiresGrad
    }

    /// PyTorch's `handle_view_on_rebase(indirect: true)`, run where it reads
    /// a view's grad_fn: recording an op on it, `grad_fn`, `is_leaf`,
    /// printing it, or a backward from it.
    public func checkViewRebase() throws {
        if isStaleRestrictedView { throw TorchError.runtime(viewRebaseMessage(indirect: true)) }
    }

    /// PyTorch's error for writing into a view made under no_grad or by an
    /// op with several outputs, directly or through its base (`indirect`).
    func viewRebaseMessage(indirect: Bool) -> String {
        var message: String
        if let fn = recordedViewGradFn {
            // PyTorch names the view op, not its backward: "Output 1 of Unbind".
            var op = fn.name
            if let range = op.range(of: #"Backward\d*$"#, options: .regularExpression) { op.removeSubrange(range) }
            message = "Output \(outputNr) of \(op) is a view and "
                + (indirect ? "its base or another view of its base has been modified inplace." : "is being modified inplace.")
        } else {
            message = "A view was created in no_grad mode and "
                + (indirect ? "its base or another view of its base has been modified inplace" : "is being modified inplace")
                + " with grad mode enabled."
        }
        switch viewCreation {
        case .multiOutput:
            message += " This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one."
        case .noGrad:
            message += " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked)."
        case .normal: break
        }
        return message
    }
}
