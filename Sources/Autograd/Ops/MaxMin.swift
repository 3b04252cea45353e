/// `max`/`min` over everything or along a dimension, `argmax`/`argmin`, and
/// the `gather`/`scatter` pair a value-selecting reduction's backward uses.
/// NaN wins every comparison and ties go to the first occurrence, as on
/// PyTorch's CPU.
extension Tensor {
    /// `max()` (MaxBackward1, saves `self` and `result`).
    /// NOTE: tied maxima share the gradient evenly (`[1, 3, 3]` gives `[0, .5, .5]`).
    public func max() throws -> Tensor { try extremum(isMax: true) }

    /// `min()` (MinBackward1), with the same sharing of ties.
    public func min() throws -> Tensor { try extremum(isMax: false) }

    /// `max(dim, keepdim)` (MaxBackward0 on `values`; `indices` is int64
    /// without history). The gradient goes to the first maximum of each lane.
    public func max(dim: Int, keepdim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try extremum(dim: dim, keepdim: keepdim, isMax: true)
    }

    /// `min(dim, keepdim)` (MinBackward0 on `values`).
    public func min(dim: Int, keepdim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try extremum(dim: dim, keepdim: keepdim, isMax: false)
    }

    /// `argmax(dim, keepdim)`: over the flattened tensor when `dim` is nil.
    public func argmax(dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        try argExtremum(dim: dim, keepdim: keepdim, isMax: true)
    }

    public func argmin(dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        try argExtremum(dim: dim, keepdim: keepdim, isMax: false)
    }

    /// The winning value of `lane` and its first position.
    private static func best(_ lane: [Double], isMax: Bool) -> (value: Double, index: Int) {
        var best = (value: lane[0], index: 0)
        if best.value.isNaN { return best }
        for (i, v) in lane.enumerated().dropFirst() {
            if v.isNaN { return (v, i) }
            if isMax ? v > best.value : v < best.value { best = (v, i) }
        }
        return best
    }

    private func extremum(isMax: Bool) throws -> Tensor {
        guard numel > 0 else {
            throw TorchError.runtime("\(isMax ? "max" : "min")(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
        }
        // NOTE: of equal values the vector op keeps the later one, in the
        // order of Note [ATen's reduce-all order]: [-0., 0.].max() is 0.
        let value = ReduceAllOrder.fold(values, dtype: dtype) { a, b in
            a.isNaN || b.isNaN ? .nan : ((isMax ? a > b : a < b) ? a : b)
        }
        let out = make([value], [], dtype)
        return try Tensor.record(isMax ? "MaxBackward1" : "MinBackward1", inputs: [self], output: out, save: { node in
            node.save("self", self)
            node.save("result", out, isOutput: true)
        }) { node, grad in
            [try Tensor.evenlyDistribute(grad, node.saved("self"), node.saved("result"))]
        }
    }

    /// PyTorch's `evenly_distribute_backward` (CPU form):
    /// `zeros.masked_fill_(mask, grad / mask.sum())`, mask = the winners.
    private static func evenlyDistribute(_ grad: Tensor, _ input: Tensor, _ value: Tensor) throws -> Tensor {
        let target = try value.item()
        let mask = input.map(dtype: .bool) { target.isNaN ? ($0.isNaN ? 1 : 0) : ($0 == target ? 1 : 0) }
        let count = grad.make([mask.values.reduce(0, +)], [], .int64)
        let share = try grad.div(count)
        let fill = try share.item()
        let out = grad.make(mask.values.map { $0 != 0 ? fill : 0 }, input.shape, share.dtype)
        // masked_fill_ with a tensor value: only the value is differentiable.
        return try record("MaskedFillBackward1", inputs: [nil, share], output: out, save: { $0.save("mask", mask) }) { _, g in
            [nil, try Tensor.where(mask, g, Tensor.zeros(g.runtime, shape: [], dtype: g.dtype)).sum()]
        }
    }

    private func extremum(dim: Int, keepdim: Bool, isMax: Bool) throws -> (values: Tensor, indices: Tensor) {
        let d = try reductionDim(dim, op: isMax ? "max" : "min")
        let (picked, indices) = pickAlong(d, keepdim: keepdim, isMax: isMax)
        let values = try Tensor.record(isMax ? "MaxBackward0" : "MinBackward0", inputs: [self], output: picked, save: { node in
            node.save("indices", indices)
        }) { [shape] node, grad in
            // value_selecting_reduction_backward: scatter into zeros of the input's shape.
            var g = grad, index = try node.saved("indices")
            if !keepdim && !shape.isEmpty {
                g = try g.unsqueeze(d)
                index = try index.unsqueeze(d)
            }
            return [try Tensor.scatter(into: shape, dim: d, index: index, src: g, accumulate: false)]
        }
        return (values, indices)
    }

    private func argExtremum(dim: Int?, keepdim: Bool, isMax: Bool) throws -> Tensor {
        let op = isMax ? "argmax" : "argmin"
        guard let dim else {
            guard numel > 0 else {
                throw TorchError.index("\(op)(): Expected reduction dim to be specified for input.numel() == 0.")
            }
            let index = Double(Tensor.best(values, isMax: isMax).index)
            return make([index], keepdim ? shape.map { _ in 1 } : [], .int64)
        }
        let d = try reductionDim(dim, op: op)
        return pickAlong(d, keepdim: keepdim, isMax: isMax).indices
    }

    private func reductionDim(_ dim: Int, op: String) throws -> Int {
        let d = try Shape.wrapDim(dim, rank: rank)
        guard rank == 0 || shape[d] > 0 else {
            throw TorchError.index("\(op)(): Expected reduction dim \(d) to have non-zero size.")
        }
        return d
    }

    /// The winning value and index of every lane along `d` (no recording).
    private func pickAlong(_ d: Int, keepdim: Bool, isMax: Bool) -> (values: Tensor, indices: Tensor) {
        var outShape = shape
        if !shape.isEmpty {
            if keepdim { outShape[d] = 1 } else { outShape.remove(at: d) }
        }
        let input = values
        var picked: [Double] = [], indices: [Double] = []
        picked.reserveCapacity(Shape.numel(outShape))
        indices.reserveCapacity(Shape.numel(outShape))
        // Lanes come in row-major order of (outer, inner): the output's order.
        Lanes(shape, along: d).forEach { positions in
            let best = Tensor.best(positions.map { input[$0] }, isMax: isMax)
            picked.append(best.value)
            indices.append(Double(best.index))
        }
        return (make(picked, outShape, dtype), make(indices, outShape, .int64))
    }
}

// MARK: - gather / scatter along a dimension

extension Tensor {
    /// Walks every element of `index`, calling `body` with the element's flat
    /// position in `index` and the flat position in a tensor of `shape`
    /// whose coordinate along `d` is replaced by the index value.
    private static func forEachIndexed(_ index: Tensor, dim d: Int, shape: [Int], _ body: (Int, Int) -> Void) {
        let idx = index.values
        let target = Shape.contiguousStrides(shape)
        let ishape = index.shape
        var coord = [Int](repeating: 0, count: ishape.count)
        for i in 0..<idx.count {
            var p = 0
            for (k, c) in coord.enumerated() { p += (k == d ? Int(idx[i]) : c) * target[k] }
            body(i, p)
            Shape.increment(&coord, within: ishape)
        }
    }

    /// `gather(dim, index)` (GatherBackward0): `out[p] = self[p with index[p] at dim]`.
    /// The index must be in range (the callers produce it).
    func gather(dim d: Int, index: Tensor) throws -> Tensor {
        let input = values
        var out = [Double](repeating: 0, count: index.numel)
        Tensor.forEachIndexed(index, dim: d, shape: shape) { i, p in out[i] = input[p] }
        let result = make(out, index.shape, dtype)
        return try Tensor.record("GatherBackward0", inputs: [self], output: result, save: { node in
            node.save("index", index)
        }) { [shape] node, grad in
            [try Tensor.scatter(into: shape, dim: d, index: node.saved("index"), src: grad, accumulate: true)]
        }
    }

    /// Zeros of `shape` with `src` scattered along `dim` by `index`
    /// (`zeros.scatter(dim, index, src)`, ScatterBackward0, or `scatter_add`,
    /// ScatterAddBackward0). Only `src` is differentiable: its gradient
    /// gathers back.
    static func scatter(into shape: [Int], dim d: Int, index: Tensor, src: Tensor, accumulate: Bool) throws -> Tensor {
        let s = src.values
        var out = [Double](repeating: 0, count: Shape.numel(shape))
        forEachIndexed(index, dim: d, shape: shape) { i, p in
            out[p] = accumulate ? out[p] + s[i] : s[i]
        }
        let result = src.make(out.map(src.dtype.round), shape, src.dtype)
        return try record(accumulate ? "ScatterAddBackward0" : "ScatterBackward0", inputs: [nil, src], output: result, save: { node in
            node.save("index", index)
        }) { node, grad in
            [nil, try grad.gather(dim: d, index: node.saved("index"))]
        }
    }
}
