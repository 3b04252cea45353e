/// Comparisons and logical reductions: bool results, never differentiable.
extension Tensor {
    private func compare(_ other: Tensor, _ f: (Double, Double) -> Bool) throws -> Tensor {
        try zip(other, dtype: .bool, compute: Tensor.resultType(self, other)) { f($0, $1) ? 1 : 0 }
    }

    public func eq(_ other: Tensor) throws -> Tensor { try compare(other) { $0 == $1 } }
    public func ne(_ other: Tensor) throws -> Tensor { try compare(other) { $0 != $1 } }
    public func lt(_ other: Tensor) throws -> Tensor { try compare(other) { $0 < $1 } }
    public func le(_ other: Tensor) throws -> Tensor { try compare(other) { $0 <= $1 } }
    public func gt(_ other: Tensor) throws -> Tensor { try compare(other) { $0 > $1 } }
    public func ge(_ other: Tensor) throws -> Tensor { try compare(other) { $0 >= $1 } }
    public func logicalAnd(_ other: Tensor) throws -> Tensor { try compare(other) { $0 != 0 && $1 != 0 } }
    public func logicalOr(_ other: Tensor) throws -> Tensor { try compare(other) { $0 != 0 || $1 != 0 } }
    public func logicalNot() -> Tensor { map(dtype: .bool) { $0 == 0 ? 1 : 0 } }

    /// `all()` / `any()` over everything: a 0-d bool tensor.
    public func all() -> Tensor { make([values.allSatisfy { $0 != 0 } ? 1 : 0], [], .bool) }
    public func any() -> Tensor { make([values.contains { $0 != 0 } ? 1 : 0], [], .bool) }

    /// `torch.equal`: same shape and the same values.
    public func equal(_ other: Tensor) -> Bool { shape == other.shape && values == other.values }

    /// `torch.allclose`: |a - b| <= atol + rtol * |b| elementwise, NaNs unequal
    /// unless `equalNaN`.
    public func allclose(_ other: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8, equalNaN: Bool = false) throws -> Bool {
        let close = try zip(other, dtype: .float64) { a, b in
            if a.isNaN || b.isNaN { return equalNaN && a.isNaN && b.isNaN ? 1 : 0 }
            if a == b { return 1 }
            return Swift.abs(a - b) <= atol + rtol * Swift.abs(b) ? 1 : 0
        }
        return close.values.allSatisfy { $0 != 0 }
    }

    /// `torch.where(condition, a, b)` (WhereBackward0).
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard condition.dtype == .bool else {
            throw TorchError.runtime("where expected condition to be a boolean tensor, but got a tensor with dtype \(condition.dtype.scalarTypeName)")
        }
        let type = resultType(a, b)
        let shape = try Shape.broadcast(Shape.broadcast(condition.shape, a.shape), b.shape)
        let c = condition.values(broadcastTo: shape), av = a.values(broadcastTo: shape), bv = b.values(broadcastTo: shape)
        let picked = Storage.make(count: c.count) { out in
            c.withUnsafeBufferPointer { c in
                av.withUnsafeBufferPointer { av in
                    bv.withUnsafeBufferPointer { bv in
                        for i in 0..<c.count { out[i] = type.round(c[i] != 0 ? av[i] : bv[i]) }
                    }
                }
            }
        }
        let out = Tensor(runtime: a.runtime, storage: picked, shape: shape, strides: Shape.contiguousStrides(shape),
                         offset: 0, dtype: type)
        return try record("WhereBackward0", inputs: [a, b], output: out, save: { node in
            node.save("condition", condition)
        }) { node, grad in
            let cond = try node.saved("condition")
            let zero = Tensor.zeros(grad.runtime, shape: [], dtype: grad.dtype)
            return [node.needsInputGrad(0) ? try Tensor.where(cond, grad, zero) : nil,
                    node.needsInputGrad(1) ? try Tensor.where(cond, zero, grad) : nil]
        }
    }
}
