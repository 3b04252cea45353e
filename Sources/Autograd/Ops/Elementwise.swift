/// The two loops every elementwise op runs through: `map` over one tensor and
/// `zip` of two broadcast tensors. Both write into one fresh buffer.
///
/// They run once per op, so their fixed cost is most of what a small op
/// costs: operands are read in place from their storage (no copy into a
/// row-major array unless the layout needs one), a contiguous operand and a
/// one-element operand each get a plain indexed loop, and an equal shape with
/// contiguous strides is shared with the result rather than recomputed.
extension Tensor {
    func map(dtype: DType? = nil, _ f: (Double) -> Double) -> Tensor {
        let outType = dtype ?? self.dtype
        let out = withRowMajorElements { x in
            Storage.make(count: x.count) { o in
                for i in 0..<x.count { o[i] = outType.round(f(x[i])) }
            }
        }
        return makeLike(out, outType)
    }

    /// `map` with each element's row-major position, for kernels whose
    /// arithmetic depends on it (ATen's vectorized loops leave a tail to the
    /// scalar op).
    func mapIndexed(dtype outType: DType, _ f: (Int, Double) -> Double) -> Tensor {
        let out = withRowMajorElements { x in
            Storage.make(count: x.count) { o in
                for i in 0..<x.count { o[i] = outType.round(f(i, x[i])) }
            }
        }
        return makeLike(out, outType)
    }

    /// `compute` is the dtype the operation runs in (PyTorch's common
    /// dtype): operands are cast to it first, so `x * 1.0001` on float32
    /// multiplies by `Float(1.0001)`, as PyTorch does. It defaults to the
    /// result dtype; comparisons pass the promoted input type.
    func zip(_ other: Tensor, dtype outType: DType, compute: DType? = nil,
             _ op: (Double, Double) -> Double) throws -> Tensor {
        let c = compute ?? outType
        return try zipLoops(other, dtype: outType, castA: dtype != c ? c : nil, castB: other.dtype != c ? c : nil, op)
    }

    /// `castA`/`castB`: the dtype to round that operand's elements to before
    /// `f` sees them, when it has another one.
    private func zipLoops(_ other: Tensor, dtype outType: DType, castA: DType?, castB: DType?,
                          _ f: (Double, Double) -> Double) throws -> Tensor {
        let outShape = try Shape.broadcast(shape, other.shape)
        let count = Shape.numel(outShape)
        let a = ZipOperand(self, outShape: outShape, count: count)
        let b = ZipOperand(other, outShape: outShape, count: count)
        let out = storage.withElements { aData in
            other.storage.withElements { bData in
                Storage.make(count: count) { o in
                    @inline(__always) func element(_ x: Double, _ y: Double) -> Double {
                        outType.round(f(castA?.round(x) ?? x, castB?.round(y) ?? y))
                    }
                    switch (a.layout, b.layout) {
                    case let (.dense(i0), .dense(j0)):
                        for i in 0..<count { o[i] = element(aData[i0 + i], bData[j0 + i]) }
                    case let (.dense(i0), .single(j)):
                        let y = bData[j]
                        for i in 0..<count { o[i] = element(aData[i0 + i], y) }
                    case let (.single(i), .dense(j0)):
                        let x = aData[i]
                        for j in 0..<count { o[j] = element(x, bData[j0 + j]) }
                    default:
                        var ia = a.offsets(outShape), ib = b.offsets(outShape)
                        for k in 0..<count { o[k] = element(aData[ia.next()!], bData[ib.next()!]) }
                    }
                }
            }
        }
        if outShape == shape && outShape == other.shape && !hasContiguousStrides {
            return other.makeLike(out, outType)
        }
        if outShape == shape { return makeLike(out, outType) }
        return Tensor(runtime: runtime, storage: out, shape: outShape, strides: Shape.contiguousStrides(outShape),
                      offset: 0, dtype: outType)
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
        var promotion = TypePromotion()
        for t in operands { promotion.add(t) }
        return promotion.result
    }

    /// `resultType([a, b])` without building the array (every binary op asks).
    static func resultType(_ a: Tensor, _ b: Tensor) -> DType {
        var promotion = TypePromotion()
        promotion.add(a)
        promotion.add(b)
        return promotion.result
    }
}

/// `torch.result_type`, one operand at a time: the promoted dtype of each
/// priority group, combined at the end.
private struct TypePromotion {
    private var dims: DType?, zeroDim: DType?, wrapped: DType?

    mutating func add(_ t: Tensor) {
        func merge(_ into: inout DType?, _ t: DType) { into = into.map { DType.promote($0, t) } ?? t }
        if t.isWrappedNumber {
            merge(&wrapped, t.dtype == .float64 ? .float32 : t.dtype)
        } else if t.rank == 0 {
            merge(&zeroDim, t.dtype)
        } else {
            merge(&dims, t.dtype)
        }
    }

    var result: DType {
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

/// How `zip` reads one operand broadcast to the result's shape.
private struct ZipOperand {
    enum Layout {
        /// Row-major at `data[start...]`: the operand has the result's shape
        /// and a contiguous layout.
        case dense(start: Int)
        /// One element, at `data[index]`, repeated for every result element.
        case single(index: Int)
        /// Anything else: walked with `StridedOffsets`.
        case strided
    }

    let tensor: Tensor
    let layout: Layout

    init(_ tensor: Tensor, outShape: [Int], count: Int) {
        self.tensor = tensor
        if tensor.numel == 1 && count > 0 {
            layout = .single(index: tensor.offset)
        } else if tensor.shape == outShape && tensor.isContiguous {
            layout = .dense(start: tensor.offset)
        } else {
            layout = .strided
        }
    }

    func offsets(_ outShape: [Int]) -> StridedOffsets {
        StridedOffsets(shape: outShape, strides: tensor.broadcastStrides(to: outShape), offset: tensor.offset)
    }
}
