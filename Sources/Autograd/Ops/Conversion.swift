/// Copies and dtype changes: `clone`, `contiguous`, `to(dtype)`, and the
/// copies the engine makes when it stores a gradient.
extension Tensor {
    public func clone() throws -> Tensor {
        let out = make(values, shape, dtype)
        return try Tensor.record("CloneBackward0", inputs: [self], output: out) { _, grad in [grad] }
    }

    public func contiguous() throws -> Tensor { isContiguous ? self : try clone() }

    /// `to(dtype)`, `float()`, `double()`: the same tensor when the dtype
    /// already matches, else a copy (ToCopyBackward0).
    public func to(_ target: DType) throws -> Tensor {
        guard target != dtype else { return self }
        let out = make(values.map(target.round), shape, target)
        guard target.isFloatingPoint else { return out }
        return try Tensor.record("ToCopyBackward0", inputs: [self], output: out) { [dtype] _, grad in
            [try grad.to(dtype)]
        }
    }

    /// A plain copy for `.grad` (no history), in the variable's dtype.
    func detachedCopy(dtype target: DType) -> Tensor {
        // Elements are already rounded to their own dtype: one copy suffices.
        target == dtype ? make(copiedStorage(), shape, target) : make(values.map(target.round), shape, target)
    }

    /// The first gradient of a leaf under create_graph: `empty.copy_(grad)`,
    /// which PyTorch records as `CopyBackwards`.
    func copyForGrad(like variable: Tensor) throws -> Tensor {
        let out = make(values.map(variable.dtype.round), variable.shape, variable.dtype)
        return try Tensor.record("CopyBackwards", inputs: [nil, self], output: out) { _, grad in [nil, grad] }
    }
}
