/// The two loops every elementwise op runs through: `map` over one tensor and
/// `zip` of two broadcast tensors. Both write into one fresh buffer; the fast
/// paths cover contiguous operands of equal shape and scalar operands.
extension Tensor {
    func map(dtype: DType? = nil, _ f: (Double) -> Double) -> Tensor {
        let outType = dtype ?? self.dtype
        let input = values
        var out = [Double](repeating: 0, count: input.count)
        out.withUnsafeMutableBufferPointer { o in
            input.withUnsafeBufferPointer { x in
                for i in 0..<x.count { o[i] = outType.round(f(x[i])) }
            }
        }
        return make(out, shape, outType)
    }

    /// `compute` is the dtype the operation runs in (PyTorch's common
    /// dtype): operands are cast to it first, so `x * 1.0001` on float32
    /// multiplies by `Float(1.0001)`, as PyTorch does. It defaults to the
    /// result dtype; comparisons pass the promoted input type.
    func zip(_ other: Tensor, dtype outType: DType, compute: DType? = nil,
             _ op: (Double, Double) -> Double) throws -> Tensor {
        let c = compute ?? outType
        if dtype != c || other.dtype != c {
            return try withoutActuallyEscaping(op) { op in
                try zipLoops(other, dtype: outType) { op(c.round($0), c.round($1)) }
            }
        }
        return try zipLoops(other, dtype: outType, op)
    }

    private func zipLoops(_ other: Tensor, dtype outType: DType, _ f: (Double, Double) -> Double) throws -> Tensor {
        if shape == other.shape {
            let a = values, b = other.values
            var out = [Double](repeating: 0, count: a.count)
            out.withUnsafeMutableBufferPointer { o in
                a.withUnsafeBufferPointer { x in
                    b.withUnsafeBufferPointer { y in
                        for i in 0..<x.count { o[i] = outType.round(f(x[i], y[i])) }
                    }
                }
            }
            return make(out, shape, outType)
        }
        if other.numel == 1 && Shape.isExpandable(other.shape, to: shape) {
            let b = other.storage.data[other.offset]
            return map(dtype: outType) { f($0, b) }
        }
        if numel == 1 && Shape.isExpandable(shape, to: other.shape) {
            let a = storage.data[offset]
            return other.map(dtype: outType) { f(a, $0) }
        }
        let outShape = try Shape.broadcast(shape, other.shape)
        let aData = storage.data, bData = other.storage.data
        var out = [Double]()
        out.reserveCapacity(Shape.numel(outShape))
        var ia = StridedOffsets(shape: outShape, strides: broadcastStrides(to: outShape), offset: offset)
        var ib = StridedOffsets(shape: outShape, strides: other.broadcastStrides(to: outShape), offset: other.offset)
        while let oa = ia.next(), let ob = ib.next() { out.append(outType.round(f(aData[oa], bData[ob]))) }
        return make(out, outShape, outType)
    }

    /// The elements as if expanded to `target` (which must be a broadcast of
    /// this shape), without recording anything.
    func values(broadcastTo target: [Int]) -> [Double] {
        viewOf(shape: target, strides: broadcastStrides(to: target), offset: offset).values
    }

    /// Strides that read this tensor as if expanded to `target` (zeros on
    /// broadcast dimensions).
    func broadcastStrides(to target: [Int]) -> [Int] {
        let lead = target.count - shape.count
        return (0..<target.count).map { i in
            i < lead || shape[i - lead] == 1 ? 0 : strides[i - lead]
        }
    }

    /// PyTorch's type promotion (`torch.result_type`): dimensioned tensors
    /// outrank 0-d tensors, which outrank Python numbers, unless a lower group
    /// brings a higher category (bool < integer < floating).
    static func resultType(_ operands: [Tensor]) -> DType {
        var dims: DType?, zeroDim: DType?, wrapped: DType?
        func merge(_ into: inout DType?, _ t: DType) { into = into.map { DType.promote($0, t) } ?? t }
        for t in operands {
            if t.isWrappedNumber {
                merge(&wrapped, t.dtype == .float64 ? .float32 : t.dtype)
            } else if t.rank == 0 {
                merge(&zeroDim, t.dtype)
            } else {
                merge(&dims, t.dtype)
            }
        }
        func combine(_ higher: DType?, _ lower: DType?) -> DType? {
            guard let higher else { return lower }
            guard let lower else { return higher }
            if higher.isFloatingPoint { return higher }
            if higher == .bool || lower.isFloatingPoint { return DType.promote(higher, lower) }
            return higher
        }
        return combine(dims, combine(zeroDim, wrapped)) ?? .float32
    }
}
