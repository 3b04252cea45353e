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
            [try grad.asStridedBackward(input: geometry.baseLayout, output: geometry.viewLayout)]
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
            // PyTorch's CopySlices::apply op for op, so that a create_graph
            // backward records the same nodes (CopyBackwards, AsStridedBackward0,
            // CloneBackward0, then CopySlices of the write-back): the gradient
            // copied into a tensor laid out as the base, fn run on a clone of
            // the view's region of it, fn's first result written back there.
            let result = try Tensor.laidOut(like: geometry, runtime: grad.runtime, dtype: grad.dtype)
            try result.copyInPlace(grad)
            let gradSlice = try result.asStrided(geometry.viewLayout)
            let results = try fn.apply(gradSlice.clone())
            var grads: [Tensor?] = [nil] + results.dropFirst()
            // An undefined first result leaves the old history without a
            // gradient, as PyTorch's loop skips it.
            if node.needsInputGrad(0), let first = results.first, let region = first {
                try gradSlice.copyInPlace(region)
                grads[0] = result
            }
            return grads
        }
        node.wrapped = fn
        base.gradFn = node
        base.outputNr = 0
        if base.retainsGrad { node.retainedOutputs[0] = WeakTensor(tensor: base) }
    }

    /// Zeros over a new storage with the base's layout of `geometry` (PyTorch's
    /// `new_empty_strided(base.sizes(), base.strides())`), so the view's
    /// strides and offset address the same elements in it.
    static func laidOut(like geometry: ViewGeometry, runtime: Runtime, dtype: DType) throws -> Tensor {
        _ = try geometry.positions()  // refuses layouts the rebase does not model
        let layout = geometry.baseLayout
        let count = layout.minStorageSize
        try Shape.checkElementCount([count])
        return Tensor(runtime: runtime, storage: Storage.of([Double](repeating: 0, count: count)), shape: layout.shape,
                      strides: layout.strides, offset: layout.offset, dtype: dtype)
    }

    /// `as_strided(size, stride, storage_offset)`: a view of this tensor's
    /// storage with `layout` (AsStridedBackward0).
    func asStrided(_ layout: StridedLayout) throws -> Tensor {
        let input = StridedLayout(shape: shape, strides: strides, offset: offset)
        let out = viewOf(shape: layout.shape, strides: layout.strides, offset: layout.offset)
        return try Tensor.record("AsStridedBackward0", inputs: [self], output: out) { _, grad in
            [try grad.asStridedBackward(input: input, output: layout)]
        }
    }

    /// PyTorch's `as_strided_backward` for this gradient of an `as_strided`
    /// view with layout `output` of a tensor with layout `input`: the
    /// gradient summed over the view's expanded dimensions (SumBackward1),
    /// written into zeros over a storage holding both layouts where the
    /// view's elements sit (CopySlices of a copy_), and read back with the
    /// input's layout (AsStridedBackward0).
    func asStridedBackward(input: StridedLayout, output: StridedLayout) throws -> Tensor {
        let shared = Swift.min(input.offset, output.offset)
        let input = input.shifted(by: -shared)
        var output = output.shifted(by: -shared)
        var grad = self
        let expanded = output.shape.indices.filter { output.strides[$0] == 0 && output.shape[$0] != 1 }
        if !expanded.isEmpty {
            grad = try grad.sum(dims: expanded, keepdim: true)
            var sizes = output.shape
            for d in expanded { sizes[d] = 1 }
            output = StridedLayout(shape: sizes, strides: output.strides, offset: output.offset)
        }
        guard !input.mayOverlap && !output.mayOverlap else {
            throw TorchError.notImplemented("autograd-viz does not model a view whose elements overlap in memory after its base was written in place")
        }
        let size = Swift.max(input.minStorageSize, output.minStorageSize)
        try Shape.checkElementCount([size])
        let storage = Tensor.zeros(runtime, shape: [size], dtype: dtype)
        try storage.asStrided(output).copyInPlace(grad)
        return try storage.asStrided(input)
    }
}

/// A strided layout over a storage (offsets count elements): what
/// `as_strided` takes.
struct StridedLayout {
    let shape: [Int], strides: [Int], offset: Int

    /// PyTorch's `_min_storage_size`: the elements a storage needs to hold it.
    var minStorageSize: Int {
        var size = offset + 1
        for (n, stride) in Swift.zip(shape, strides) {
            if n == 0 { return 0 }
            size += (n - 1) * stride
        }
        return size
    }

    /// PyTorch's `_maybe_overlapping_memory`: whether two elements may share
    /// a storage location (each stride, smallest first, must pass the
    /// extent of the dimensions before it).
    var mayOverlap: Bool {
        let dims = shape.indices.filter { shape[$0] > 1 }.sorted { strides[$0] < strides[$1] }
        var extent = 0
        for d in dims {
            if strides[d] <= extent { return true }
            extent += strides[d] * (shape[d] - 1)
        }
        return false
    }

    func shifted(by delta: Int) -> StridedLayout { StridedLayout(shape: shape, strides: strides, offset: offset + delta) }
}

extension ViewGeometry {
    var baseLayout: StridedLayout { StridedLayout(shape: baseShape, strides: baseStrides, offset: baseOffset) }
    var viewLayout: StridedLayout { StridedLayout(shape: shape, strides: strides, offset: offset) }
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
        let modified = indirect ? "its base or another view of its base has been modified inplace" : "is being modified inplace"
        if let fn = recordedViewGradFn {
            // PyTorch names the view op, not its backward: "Output 1 of Unbind".
            let op = SavedVariable.operatorName(fn.qualifiedName)
            message = viewCreation == .noGrad
                ? "Output \(outputNr) of \(op) is a view of a view which was created in no_grad mode and \(modified) with grad mode enabled."
                : "Output \(outputNr) of \(op) is a view and \(modified)."
        } else {
            message = "A view was created in no_grad mode and \(modified) with grad mode enabled."
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
