/// `torch.cat` and `torch.stack`: one output made of several inputs, whose
/// backward hands each input its own piece of the gradient.
extension Tensor {
    /// `torch.cat(tensors, dim)` (CatBackward0). The result takes the promoted
    /// dtype of all inputs; 1-D empty tensors are skipped, as PyTorch's
    /// legacy rule allows (`cat([x, tensor([])])`).
    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        guard let first = tensors.first else {
            throw TorchError.value("torch.cat(): expected a non-empty list of Tensors")
        }
        for (i, t) in tensors.enumerated() where t.rank == 0 {
            throw TorchError.runtime("zero-dimensional tensor (at position \(i)) cannot be concatenated")
        }
        let type = tensors.dropFirst().reduce(first.dtype) { DType.promote($0, $1.dtype) }
        let skipped = tensors.map { $0.rank == 1 && $0.shape[0] == 0 }
        guard let ref = tensors.indices.first(where: { !skipped[$0] }).map({ tensors[$0] }) else {
            return try record("CatBackward0", inputs: tensors, output: first.make([], [0], type)) { node, grad in
                (0..<tensors.count).map { node.needsInputGrad($0) ? grad : nil }
            }
        }
        let d = try Shape.wrapDim(dim, rank: ref.rank)
        for (i, t) in tensors.enumerated() where !skipped[i] {
            guard t.rank == ref.rank else {
                throw TorchError.runtime("Tensors must have same number of dimensions: got \(ref.rank) and \(t.rank)")
            }
            for k in 0..<ref.rank where k != d && t.shape[k] != ref.shape[k] {
                throw TorchError.runtime("Sizes of tensors must match except in dimension \(d). Expected size \(ref.shape[k]) but got size \(t.shape[k]) for tensor number \(i) in the list.")
            }
        }
        let parts = tensors.indices.filter { !skipped[$0] }.map { tensors[$0] }
        var outShape = ref.shape
        outShape[d] = parts.reduce(0) { $0 + $1.shape[d] }
        let out = ref.make(interleave(parts.map { $0.values.map(type.round) }, outer: Shape.numel(Array(ref.shape[..<d])),
                                      chunks: parts.map { Shape.numel(Array($0.shape[d...])) }),
                           outShape, type)
        let sizes = tensors.enumerated().map { skipped[$0.offset] ? 0 : $0.element.shape[d] }
        return try record("CatBackward0", inputs: tensors, output: out) { node, grad in
            var start = 0
            return try sizes.enumerated().map { i, size in
                defer { start += size }
                guard node.needsInputGrad(i) else { return nil }
                if skipped[i] { return Tensor.zeros(grad.runtime, shape: [0], dtype: grad.dtype) }
                return try grad.slice(d, start: start, stop: start + size)
            }
        }
    }

    /// `torch.stack(tensors, dim)` (StackBackward0): equal shapes, joined
    /// along a new dimension; each input's gradient is `grad.select(dim, i)`.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw TorchError.runtime("stack expects a non-empty TensorList") }
        let d = try Shape.wrapDim(dim, rank: first.rank + 1)
        for (i, t) in tensors.enumerated() where t.shape != first.shape {
            throw TorchError.runtime("stack expects each tensor to be equal size, but got \(Shape.list(first.shape)) at entry 0 and \(Shape.list(t.shape)) at entry \(i)")
        }
        let type = tensors.dropFirst().reduce(first.dtype) { DType.promote($0, $1.dtype) }
        var outShape = first.shape
        outShape.insert(tensors.count, at: d)
        let chunk = Shape.numel(Array(first.shape[d...]))
        let out = first.make(interleave(tensors.map { $0.values.map(type.round) }, outer: Shape.numel(Array(first.shape[..<d])),
                                        chunks: Array(repeating: chunk, count: tensors.count)),
                             outShape, type)
        return try record("StackBackward0", inputs: tensors, output: out) { node, grad in
            try (0..<tensors.count).map { node.needsInputGrad($0) ? try grad.select(d, $0) : nil }
        }
    }

    /// Row-major values of a join: for each of `outer` blocks, the next
    /// `chunks[i]` values of every part in turn.
    private static func interleave(_ parts: [[Double]], outer: Int, chunks: [Int]) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for o in 0..<outer {
            for (part, chunk) in Swift.zip(parts, chunks) where chunk > 0 {
                out.append(contentsOf: part[(o * chunk)..<((o + 1) * chunk)])
            }
        }
        return out
    }
}
