/// `sum`, `mean` and the gradient reduction `sumTo`.
extension Tensor {
    /// Sums over `dims` (already wrapped), the one reduction loop.
    func reduceSum(dims: Set<Int>, keepdim: Bool, dtype outType: DType) -> Tensor {
        let outShapeKeep = shape.enumerated().map { dims.contains($0.offset) ? 1 : $0.element }
        let outStrides = Shape.contiguousStrides(outShapeKeep).enumerated().map { dims.contains($0.offset) ? 0 : $0.element }
        let input = values
        let outShape = keepdim ? outShapeKeep : shape.enumerated().filter { !dims.contains($0.offset) }.map(\.element)
        // NOTE: float32 sums accumulate in Float, as PyTorch's CPU kernels do,
        // so a row of softmax outputs sums to 0.99999994 here too and prints
        // as PyTorch prints it; other dtypes accumulate in Double.
        if outType == .float32 {
            var acc = [Float](repeating: 0, count: Shape.numel(outShapeKeep))
            var i = 0
            for o in StridedOffsets(shape: shape, strides: outStrides, offset: 0) {
                acc[o] += Float(input[i])
                i += 1
            }
            return make(acc.map(Double.init), outShape, outType)
        }
        var acc = [Double](repeating: 0, count: Shape.numel(outShapeKeep))
        var i = 0
        for o in StridedOffsets(shape: shape, strides: outStrides, offset: 0) {
            acc[o] += input[i]
            i += 1
        }
        return make(acc.map(outType.round), outShape, outType)
    }

    private var sumType: DType { dtype.isFloatingPoint ? dtype : .int64 }

    /// `sum()` over everything (SumBackward0).
    public func sum() throws -> Tensor {
        let out = reduceSum(dims: Set(0..<rank), keepdim: false, dtype: sumType)
        return Tensor.record("SumBackward0", inputs: [self], output: out) { [shape] _, grad in
            [try grad.expand(shape)]
        }
    }

    /// `sum(dim, keepdim)` (SumBackward1).
    public func sum(dims: [Int], keepdim: Bool = false) throws -> Tensor {
        let wrapped = try Set(dims.map { try Shape.wrapDim($0, rank: rank) })
        let out = reduceSum(dims: wrapped, keepdim: keepdim, dtype: sumType)
        return Tensor.record("SumBackward1", inputs: [self], output: out) { [shape] _, grad in
            [try grad.unsqueezing(wrapped, keepdim: keepdim).expand(shape)]
        }
    }

    /// Puts back the reduced dimensions a `keepdim=False` reduction dropped.
    func unsqueezing(_ dims: Set<Int>, keepdim: Bool) throws -> Tensor {
        guard !keepdim else { return self }
        var out = self
        for d in dims.sorted() { out = try out.unsqueeze(d) }
        return out
    }

    private func checkMeanType() throws {
        guard dtype.isFloatingPoint else {
            throw TorchError.notImplemented("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: \(dtype.scalarTypeName)")
        }
    }

    /// `mean()` (MeanBackward0).
    public func mean() throws -> Tensor {
        try checkMeanType()
        let count = Double(numel)
        let out = reduceSum(dims: Set(0..<rank), keepdim: false, dtype: dtype).map { $0 / count }
        return Tensor.record("MeanBackward0", inputs: [self], output: out) { [shape] _, grad in
            [try grad.expand(shape).div(scalar: count)]
        }
    }

    /// `mean(dim, keepdim)` (MeanBackward1).
    public func mean(dims: [Int], keepdim: Bool = false) throws -> Tensor {
        try checkMeanType()
        let wrapped = try Set(dims.map { try Shape.wrapDim($0, rank: rank) })
        let count = Double(wrapped.map { shape[$0] }.reduce(1, *))
        let out = reduceSum(dims: wrapped, keepdim: keepdim, dtype: dtype).map { $0 / count }
        return Tensor.record("MeanBackward1", inputs: [self], output: out) { [shape] _, grad in
            [try grad.unsqueezing(wrapped, keepdim: keepdim).expand(shape)
                .div(scalar: count)]
        }
    }

    /// Sums a broadcast gradient back to `target` (PyTorch's `at::sum_to`).
    public func sumTo(_ target: [Int]) throws -> Tensor {
        guard shape != target else { return self }
        var out = self
        let lead = rank - target.count
        if lead > 0 { out = try out.sum(dims: Array(0..<lead)) }
        let ones = target.indices.filter { target[$0] == 1 && out.shape[$0] != 1 }
        if !ones.isEmpty { out = try out.sum(dims: ones, keepdim: true) }
        return out
    }
}
