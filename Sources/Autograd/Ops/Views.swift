/// Views share storage and the version counter with the tensor they come
/// from (`d = a.t(); d[0] = 1` changes `a`). Each records its backward,
/// which reshapes the gradient back.
extension Tensor {
    /// A view over this tensor's storage with another layout.
    func viewOf(shape: [Int], strides: [Int], offset: Int) -> Tensor {
        let counter = versionCounter
        let view = Tensor(runtime: runtime, storage: storage, shape: shape, strides: strides, offset: offset,
                          dtype: dtype, versionCounter: counter, base: base ?? self)
        view.viewVersion = counter.value
        view.viewCreation = runtime.gradEnabled ? viewCreation : .noGrad
        return view
    }

    /// Resolves one `-1` in a requested shape, with PyTorch's messages.
    func inferShape(_ requested: [Int]) throws -> [Int] {
        do { try Shape.checkElementCount(requested.map { Swift.max($0, 1) }) } catch {
            throw TorchError.runtime("shape '\(Shape.list(requested))' is invalid for input of size \(numel)")
        }
        var shape = requested
        let inferred = requested.indices.filter { requested[$0] == -1 }
        guard inferred.count <= 1 else { throw TorchError.runtime("only one dimension can be inferred") }
        if let i = inferred.first {
            let known = requested.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            guard known != 0, numel % known == 0 else {
                throw TorchError.runtime("shape '\(Shape.list(requested))' is invalid for input of size \(numel)")
            }
            shape[i] = numel / known
        }
        for d in shape where d < 0 { throw TorchError.runtime("invalid shape dimension \(d)") }
        guard Shape.numel(shape) == numel else {
            throw TorchError.runtime("shape '\(Shape.list(requested))' is invalid for input of size \(numel)")
        }
        return shape
    }

    /// `view(shape)`: any layout whose strides can express the new shape
    /// (PyTorch's `computeStride`), not only contiguous ones (`a.t().view(4, 3, 1)`).
    public func view(_ requested: [Int]) throws -> Tensor {
        let newShape = try inferShape(requested)
        guard let newStrides = Tensor.computeStride(shape, strides, newShape) else {
            throw TorchError.runtime("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
        }
        return try recordView("ViewBackward0", viewOf(shape: newShape, strides: newStrides, offset: offset))
    }

    /// `reshape(shape)` as PyTorch dispatches it: a contiguous tensor is
    /// viewed (ViewBackward0), another layout that allows a view gets an
    /// alias (ReshapeAliasBackward0), anything else is copied
    /// (CloneBackward0, then UnsafeViewBackward0).
    public func reshape(_ requested: [Int]) throws -> Tensor {
        let newShape = try inferShape(requested)
        if isContiguous { return try view(newShape) }
        if let newStrides = Tensor.computeStride(shape, strides, newShape) {
            return try recordView("ReshapeAliasBackward0", viewOf(shape: newShape, strides: newStrides, offset: offset))
        }
        let copy = try clone()
        let out = copy.make(copy.values, newShape, dtype)
        return try Tensor.record("UnsafeViewBackward0", inputs: [copy], output: out) { [shape = copy.shape] _, grad in
            [try grad.reshape(shape)]
        }
    }

    public func flatten(startDim: Int = 0, endDim: Int = -1) throws -> Tensor {
        guard rank > 0 else { return try reshape([1]) }
        let s = try Shape.wrapDim(startDim, rank: rank), e = try Shape.wrapDim(endDim, rank: rank)
        guard s <= e else { throw TorchError.runtime("flatten() has invalid args: start_dim cannot come after end_dim") }
        if s == e { return self }
        let newShape = Array(shape[..<s]) + [shape[s...e].reduce(1, *)] + Array(shape[(e + 1)...])
        return try reshape(newShape)
    }

    /// `t()`: transposes a matrix; 0-d and 1-d tensors come back as views.
    public func t() throws -> Tensor {
        guard rank <= 2 else {
            throw TorchError.runtime("t() expects a tensor with <= 2 dimensions, but self is \(rank)D")
        }
        let out = viewOf(shape: shape.reversed(), strides: strides.reversed(), offset: offset)
        return try recordView("TBackward0", out) { grad in try grad.t() }
    }

    public func transpose(_ d0: Int, _ d1: Int) throws -> Tensor {
        let a = try Shape.wrapDim(d0, rank: rank), b = try Shape.wrapDim(d1, rank: rank)
        var newShape = shape, newStrides = strides
        if rank > 0 {
            newShape.swapAt(a, b)
            newStrides.swapAt(a, b)
        }
        return try recordView("TransposeBackward0", viewOf(shape: newShape, strides: newStrides, offset: offset)) { grad in
            try grad.transpose(a, b)
        }
    }

    public func permute(_ dims: [Int]) throws -> Tensor {
        guard dims.count == rank else {
            throw TorchError.runtime("permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = \(rank) is not equal to len(dims) = \(dims.count)")
        }
        let wrapped = try dims.map { try Shape.wrapDim($0, rank: rank) }
        guard Set(wrapped).count == rank else { throw TorchError.runtime("permute(): duplicate dims are not allowed.") }
        let out = viewOf(shape: wrapped.map { shape[$0] }, strides: wrapped.map { strides[$0] }, offset: offset)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, d) in wrapped.enumerated() { inverse[d] = i }
        return try recordView("PermuteBackward0", out) { grad in try grad.permute(inverse) }
    }

    /// `.T` / `.mT`-style reversal, recorded as PyTorch does (PermuteBackward0).
    public func reversedDims() throws -> Tensor { try permute(Array((0..<rank).reversed())) }

    public func squeeze(_ dim: Int? = nil) throws -> Tensor {
        if let dim {
            let d = try Shape.wrapDim(dim, rank: rank)
            var newShape = shape, newStrides = strides
            if rank > 0 && shape[d] == 1 {
                newShape.remove(at: d)
                newStrides.remove(at: d)
            }
            return try recordView("SqueezeBackward1", viewOf(shape: newShape, strides: newStrides, offset: offset))
        }
        let keep = shape.indices.filter { shape[$0] != 1 }
        return try recordView("SqueezeBackward0", viewOf(shape: keep.map { shape[$0] }, strides: keep.map { strides[$0] }, offset: offset))
    }

    public func unsqueeze(_ dim: Int) throws -> Tensor {
        let d = try Shape.wrapDim(dim, rank: rank + 1)
        var newShape = shape, newStrides = strides
        newShape.insert(1, at: d)
        newStrides.insert(d < rank ? strides[d] * shape[d] : 1, at: d)
        return try recordView("UnsqueezeBackward0", viewOf(shape: newShape, strides: newStrides, offset: offset)) { grad in
            try grad.squeeze(d)
        }
    }

    public func expand(_ sizes: [Int]) throws -> Tensor {
        guard sizes.count >= rank else {
            throw TorchError.runtime("expand(\(dtype.legacyTensorName){\(Shape.list(shape))}, size=\(Shape.list(sizes))): the number of sizes provided (\(sizes.count)) must be greater or equal to the number of dimensions in the tensor (\(rank))")
        }
        let lead = sizes.count - rank
        var newShape = sizes, newStrides = [Int](repeating: 0, count: sizes.count)
        // Checked from the trailing dimension, as PyTorch's infer_size does.
        for i in (0..<sizes.count).reversed() {
            if i < lead {
                guard sizes[i] >= 0 else { throw TorchError.runtime("The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension \(i)") }
                continue
            }
            let own = shape[i - lead]
            if sizes[i] == -1 || sizes[i] == own {
                newShape[i] = own
                newStrides[i] = strides[i - lead]
            } else if own == 1 && sizes[i] >= 0 {
                newStrides[i] = 0
            } else if sizes[i] < 0 {
                throw TorchError.runtime("numel: integer multiplication overflow")
            } else {
                throw TorchError.runtime("The expanded size of the tensor (\(sizes[i])) must match the existing size (\(own)) at non-singleton dimension \(i).  Target sizes: \(Shape.list(sizes)).  Tensor sizes: \(Shape.list(shape))")
            }
        }
        try Shape.checkElementCount(newShape)
        return try recordView("ExpandBackward0", viewOf(shape: newShape, strides: newStrides, offset: offset)) { [shape] grad in
            try grad.sumTo(shape)
        }
    }

    public func select(_ dim: Int, _ index: Int) throws -> Tensor {
        guard rank > 0 else { throw TorchError.index("select() cannot be applied to a 0-dim tensor.") }
        let d = try Shape.wrapDim(dim, rank: rank)
        guard index >= -shape[d] && index < shape[d] else {
            throw TorchError.index("select(): index \(index) out of range for tensor of size \(Shape.list(shape)) at dimension \(d)")
        }
        let i = index < 0 ? index + shape[d] : index
        var newShape = shape, newStrides = strides
        newShape.remove(at: d)
        newStrides.remove(at: d)
        let out = viewOf(shape: newShape, strides: newStrides, offset: offset + i * strides[d])
        return try recordView("SelectBackward0", out) { [shape] grad in
            try grad.scatterIntoZeros(shape, name: "SelectBackwardBackward0") { try $0.select(d, i) }
        }
    }

    /// `unbind(dim)`: every slice along `dim` as a view, all of them outputs
    /// of one UnbindBackward0 (iterating a tensor is `unbind(0)` in
    /// PyTorch), whose backward stacks their gradients, zeros for those no
    /// gradient reached (`unbind_backward`). Such views may not be written
    /// in place under grad mode (`ViewCreation.multiOutput`).
    public func unbind(_ dim: Int = 0) throws -> [Tensor] {
        guard rank > 0 else { throw TorchError.index("Dimension specified as 0 but tensor has no dimensions") }
        let d = try Shape.wrapDim(dim, rank: rank)
        var newShape = shape, newStrides = strides
        newShape.remove(at: d)
        newStrides.remove(at: d)
        let outputs = (0..<shape[d]).map { i in
            let view = viewOf(shape: newShape, strides: newStrides, offset: offset + i * strides[d])
            if runtime.gradEnabled { view.viewCreation = .multiOutput }
            return view
        }
        guard requiresGrad, !outputs.isEmpty else { return outputs }
        guard runtime.gradEnabled else {
            for out in outputs { out.createdUnderNoGrad = true }
            return outputs
        }
        try checkViewRebase()
        let node = MultiOutputNode(name: "UnbindBackward0", runtime: runtime, inputs: [self],
                                   outputCount: outputs.count) { [runtime] _, grads in
            guard let reached = grads.lazy.compactMap({ $0 }).first else { return [nil] }
            let parts = grads.map { $0 ?? Tensor.zeros(runtime, shape: reached.shape, dtype: reached.dtype) }
            return [try Tensor.stack(parts, dim: d)]
        }
        node.savedAttributes["dim"] = .int(d)
        for (i, out) in outputs.enumerated() {
            out.gradFn = node
            out.outputNr = i
        }
        return outputs
    }

    /// `t[start:stop:step]` along one dimension, with Python's clamping.
    public func slice(_ dim: Int, start: Int?, stop: Int?, step: Int = 1) throws -> Tensor {
        guard rank > 0 else { throw TorchError.index("slice() cannot be applied to a 0-dim tensor.") }
        let d = try Shape.wrapDim(dim, rank: rank)
        guard step > 0 else { throw TorchError.value("step must be greater than zero") }
        let n = shape[d]
        func clamp(_ v: Int?, _ fallback: Int) -> Int {
            guard var v else { return fallback }
            if v < 0 { v += n }
            return Swift.min(Swift.max(v, 0), n)
        }
        let lo = clamp(start, 0), hi = Swift.max(clamp(stop, n), clamp(start, 0))
        var newShape = shape, newStrides = strides
        newShape[d] = (hi - lo + step - 1) / step
        newStrides[d] = strides[d] * step
        let out = viewOf(shape: newShape, strides: newStrides, offset: offset + lo * strides[d])
        return try recordView("SliceBackward0", out) { [shape] grad in
            try grad.scatterIntoZeros(shape, name: "SliceBackwardBackward0") { try $0.slice(d, start: lo, stop: hi, step: step) }
        }
    }

    /// `detach()`: same storage and version counter, no history.
    public func detach() -> Tensor {
        let out = Tensor(runtime: runtime, storage: storage, shape: shape, strides: strides, offset: offset,
                         dtype: dtype, versionCounter: versionCounter)
        out.detachedFrom = self
        return out
    }

    /// `.data`: same storage, but a version counter of its own, as in PyTorch.
    public func data() -> Tensor {
        Tensor(runtime: runtime, storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
    }

    /// The strides that let a tensor of `oldShape`/`oldStrides` be viewed as
    /// `newShape`, or nil when a dimension would span two non-contiguous
    /// chunks (PyTorch's `at::detail::computeStride`).
    static func computeStride(_ oldShape: [Int], _ oldStrides: [Int], _ newShape: [Int]) -> [Int]? {
        if oldShape.isEmpty { return [Int](repeating: 1, count: newShape.count) }
        let numel = Shape.numel(oldShape)
        if numel == 0 && oldShape == newShape { return oldStrides }
        var newStrides = [Int](repeating: 0, count: newShape.count)
        if numel == 0 {
            for d in stride(from: newShape.count - 1, through: 0, by: -1) {
                newStrides[d] = d == newShape.count - 1 ? 1 : Swift.max(newShape[d + 1], 1) * newStrides[d + 1]
            }
            return newStrides
        }
        var viewD = newShape.count - 1
        var chunkBaseStride = oldStrides.last!
        var tensorNumel = 1, viewNumel = 1
        for tensorD in stride(from: oldShape.count - 1, through: 0, by: -1) {
            tensorNumel *= oldShape[tensorD]
            // At the end of a chunk of contiguous dimensions, fit the view's
            // dimensions into it.
            if tensorD == 0 || (oldShape[tensorD - 1] != 1 && oldStrides[tensorD - 1] != tensorNumel * chunkBaseStride) {
                while viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1) {
                    newStrides[viewD] = viewNumel * chunkBaseStride
                    viewNumel *= newShape[viewD]
                    viewD -= 1
                }
                if viewNumel != tensorNumel { return nil }
                if tensorD > 0 {
                    chunkBaseStride = oldStrides[tensorD - 1]
                    tensorNumel = 1
                    viewNumel = 1
                }
            }
        }
        return viewD == -1 ? newStrides : nil
    }

    /// Records a view op whose backward is `reshape` to the input's shape
    /// unless another `backward` is given.
    private func recordView(_ name: String, _ out: Tensor, backward: ((Tensor) throws -> Tensor)? = nil) throws -> Tensor {
        let inputShape = shape
        return try Tensor.record(name, inputs: [self], output: out) { _, grad in
            [try backward?(grad) ?? grad.reshape(inputShape)]
        }
    }

    /// The gradient of a view op: zeros of `inputShape` with `self` written into
    /// the region `region` selects. Differentiable: its backward selects again.
    func scatterIntoZeros(_ inputShape: [Int], name: String, region: @escaping (Tensor) throws -> Tensor) throws -> Tensor {
        let out = Tensor.zeros(runtime, shape: inputShape, dtype: dtype)
        try runtime.withGradMode(false) { try region(out).write(values) }
        return try Tensor.record(name, inputs: [self], output: out) { _, grad in [try region(grad)] }
    }
}
