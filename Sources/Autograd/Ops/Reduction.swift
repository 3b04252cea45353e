/// `sum`, `mean` and the gradient reduction `sumTo`.
extension Tensor {
    /// Sums over `dims` (already wrapped), the one reduction loop.
    func reduceSum(dims: Set<Int>, keepdim: Bool, dtype outType: DType) -> Tensor {
        let outShapeKeep = shape.enumerated().map { dims.contains($0.offset) ? 1 : $0.element }
        let outStrides = Shape.contiguousStrides(outShapeKeep).enumerated().map { dims.contains($0.offset) ? 0 : $0.element }
        let outShape = keepdim ? outShapeKeep : shape.enumerated().filter { !dims.contains($0.offset) }.map(\.element)
        // Floating-point sums accumulate in their own type and in ATen's
        // order (Note [ATen's cascade sum]), so a row of softmax outputs sums
        // to 0.99999994 here too, and a float32 sum has PyTorch's last bit.
        // Integer sums are exact in any order.
        let count = Shape.numel(outShapeKeep)
        if (outType == .float32 || outType == .float64) && dtype == outType {
            let sums: [Double] = storage.withElements { elements in
                let input = UnsafeBufferPointer(elements)
                if outType == .float32 {
                    return CascadeSum.sum(SIMD8<Float>.self, input: input, offset: offset, shape: shape, strides: strides,
                                          outputStrides: outStrides, count: count).map(Double.init)
                }
                return CascadeSum.sum(SIMD4<Double>.self, input: input, offset: offset, shape: shape, strides: strides,
                                      outputStrides: outStrides, count: count)
            }
            return make(sums, outShape, outType)
        }
        if outType == .float32 {
            let acc = accumulate(Float.self, outStrides: outStrides, count: count)
            return make(acc.map(Double.init), outShape, outType)
        }
        let acc = accumulate(Double.self, outStrides: outStrides, count: count)
        return make(acc.map(outType.round), outShape, outType)
    }

    /// Adds every element, in row-major order, into its slot of `count`
    /// accumulators (`outStrides` maps a position to its slot), in `T`: the
    /// same additions in the same order as one element at a time, a row per
    /// inner loop.
    private func accumulate<T: BinaryFloatingPoint>(_: T.Type, outStrides: [Int], count: Int) -> [T] {
        var acc = [T](repeating: 0, count: count)
        let rowLength = shape.last ?? 1, step = outStrides.last ?? 0
        acc.withUnsafeMutableBufferPointer { acc in
            withRowMajorElements { input in
                Shape.forEachRow(shape, strides: outStrides, offset: 0) { row, o in
                    let i = row * rowLength
                    if step == 0 {
                        var sum = acc[o]
                        for j in 0..<rowLength { sum += T(input[i + j]) }
                        acc[o] = sum
                    } else {
                        for j in 0..<rowLength { acc[o + j * step] += T(input[i + j]) }
                    }
                }
            }
        }
        return acc
    }

    private var sumType: DType { dtype.isFloatingPoint ? dtype : .int64 }

    /// `sum()` over everything (SumBackward0).
    public func sum() throws -> Tensor {
        let out = reduceSum(dims: Set(0..<rank), keepdim: false, dtype: sumType)
        return try Tensor.record("SumBackward0", inputs: [self], output: out) { [shape] _, grad in
            [try grad.expand(shape)]
        }
    }

    /// `sum(dim, keepdim)` (SumBackward1).
    public func sum(dims: [Int], keepdim: Bool = false) throws -> Tensor {
        let wrapped = try Set(dims.map { try Shape.wrapDim($0, rank: rank) })
        let out = reduceSum(dims: wrapped, keepdim: keepdim, dtype: sumType)
        return try Tensor.record("SumBackward1", inputs: [self], output: out) { [shape] _, grad in
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
        return try Tensor.record("MeanBackward0", inputs: [self], output: out) { [shape] _, grad in
            [try grad.expand(shape).div(scalar: count)]
        }
    }

    /// `mean(dim, keepdim)` (MeanBackward1).
    public func mean(dims: [Int], keepdim: Bool = false) throws -> Tensor {
        try checkMeanType()
        let wrapped = try Set(dims.map { try Shape.wrapDim($0, rank: rank) })
        let count = Double(wrapped.map { shape[$0] }.reduce(1, *))
        let out = reduceSum(dims: wrapped, keepdim: keepdim, dtype: dtype).map { $0 / count }
        return try Tensor.record("MeanBackward1", inputs: [self], output: out) { [shape] _, grad in
            [try grad.unsqueezing(wrapped, keepdim: keepdim).expand(shape)
                .div(scalar: count)]
        }
    }

    /// Sums a broadcast gradient back to `target` as PyTorch's `at::sum_to`
    /// does, so create_graph records the same nodes: a 0-d target is one
    /// `sum()` (SumBackward0); otherwise one `sum(dims, keepdim=True)` over
    /// the leading dimensions and the broadcast ones (SumBackward1), then a
    /// `view` dropping the leading ones (ViewBackward0).
    public func sumTo(_ target: [Int]) throws -> Tensor {
        guard shape != target else { return self }
        if target.isEmpty { return try sum() }
        let lead = rank - target.count
        let dims = Array(0..<lead) + target.indices.filter { target[$0] == 1 && shape[lead + $0] != 1 }.map { lead + $0 }
        let summed = dims.isEmpty ? self : try sum(dims: dims, keepdim: true)
        return lead > 0 ? try summed.view(target) : summed
    }
}
