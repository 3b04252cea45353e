import Foundation

/// `softmax` and `log_softmax` along one dimension. Each backward is an op
/// of its own, as PyTorch's `_softmax_backward_data` is, so a second
/// derivative records `SoftmaxBackwardDataBackward0` just as PyTorch does.
extension Tensor {
    /// `softmax(dim)` (SoftmaxBackward0, saves `result`). The forward
    /// subtracts each lane's maximum first, so large inputs do not overflow.
    public func softmax(dim: Int) throws -> Tensor {
        let d = try softmaxDim(dim, kernel: "softmax")
        // Rounded step by step to the dtype, in the order of PyTorch's
        // kernel (exp, sum, one reciprocal, multiply), so float32 results
        // agree with PyTorch's to the last bit far more often.
        let r = dtype.isFloatingPoint ? dtype : .float32
        let lastDim = d == rank - 1
        let out = mapLanes(along: d) { lane in
            let m = lane.max() ?? 0
            let e = lane.map { r.round(Foundation.exp(r.round($0 - m))) }
            let inverse = r.round(1 / Tensor.atenSum(e, type: r, vectorized: lastDim))
            return e.map { $0 * inverse }
        }
        return try Tensor.record("SoftmaxBackward0", inputs: [self], output: out, save: { node in
            node.save("result", out, isOutput: true)
            node.savedAttributes["dim"] = .int(dim)
        }) { node, grad in
            [try Tensor.softmaxBackwardData(grad, node.saved("result"), dim: d)]
        }
    }

    /// `log_softmax(dim)` (LogSoftmaxBackward0, saves `result`): x - max - log Σ exp(x - max).
    public func logSoftmax(dim: Int) throws -> Tensor {
        let d = try softmaxDim(dim, kernel: "log_softmax")
        let out = mapLanes(along: d) { lane in
            let m = lane.max() ?? 0
            let logTotal = Foundation.log(lane.reduce(0) { $0 + Foundation.exp($1 - m) })
            return lane.map { $0 - m - logTotal }
        }
        return try Tensor.record("LogSoftmaxBackward0", inputs: [self], output: out, save: { node in
            node.save("result", out, isOutput: true)
            node.savedAttributes["dim"] = .int(dim)
        }) { node, grad in
            [try Tensor.logSoftmaxBackwardData(grad, node.saved("result"), dim: d)]
        }
    }

    /// `_softmax_backward_data(g, y) = y · (g - Σ g·y)`, summed along `dim`.
    /// NOTE: every step is rounded to the dtype and the sum runs in the
    /// order of PyTorch's CPU kernel (`Tensor.atenDot`), so that where the
    /// sum is exactly 1 (`softmax(x).sum(1)`) the gradient is exactly 0.
    static func softmaxBackwardData(_ grad: Tensor, _ y: Tensor, dim d: Int) throws -> Tensor {
        let type = resultType(grad, y)
        let g = grad.values, yv = y.values
        let lastDim = d == y.rank - 1
        let out = grad.mapLanePairs(g, yv, shape: y.shape, along: d, dtype: type) { g, y in
            let dot = atenDot(g, y, type: type, vectorized: lastDim)
            return Swift.zip(g, y).map { g, y in type.round(y * type.round(g - dot)) }
        }
        return try record("SoftmaxBackwardDataBackward0", inputs: [grad, y], output: out, save: { node in
            node.save("grad_output", grad)
            node.save("output", y)
        }) { node, gg in
            let go = try node.saved("grad_output"), y = try node.saved("output")
            var grads: [Tensor?] = [nil, nil]
            if node.needsInputGrad(0) { grads[0] = try softmaxBackwardData(gg, y, dim: d) }
            if node.needsInputGrad(1) {
                // softmax_double_backward: go·gg - Σ(y·go)·gg - go·Σ(y·gg)
                let a = try go.mul(gg)
                let b = try y.mul(go).sum(dims: [d], keepdim: true).mul(gg)
                let c = try go.mul(y.mul(gg).sum(dims: [d], keepdim: true))
                grads[1] = try a.sub(b).sub(c)
            }
            return grads
        }
    }

    /// `_log_softmax_backward_data(g, y) = g - exp(y) · Σ g`, summed along `dim`.
    static func logSoftmaxBackwardData(_ grad: Tensor, _ y: Tensor, dim d: Int) throws -> Tensor {
        let type = resultType(grad, y)
        let out = grad.mapLanePairs(grad.values, y.values, shape: y.shape, along: d, dtype: type) { g, y in
            let total = g.reduce(0, +)
            return Swift.zip(g, y).map { $0 - Foundation.exp($1) * total }
        }
        return try record("LogSoftmaxBackwardDataBackward0", inputs: [grad, y], output: out, save: { node in
            node.save("grad_output", grad)
            node.save("output", y)
        }) { node, gg in
            let go = try node.saved("grad_output"), y = try node.saved("output")
            var grads: [Tensor?] = [nil, nil]
            if node.needsInputGrad(0) { grads[0] = try gg.sub(gg.mul(y.exp()).sum(dims: [d], keepdim: true)) }
            if node.needsInputGrad(1) {
                grads[1] = try go.sum(dims: [d], keepdim: true).neg().mul(y.exp()).mul(gg)
            }
            return grads
        }
    }

    /// `Σ a·b` over one lane as ATen's CPU softmax kernels sum it, each
    /// product and partial sum rounded to `type`: along the last dimension
    /// in the order of Note [ATen's reduce-all order], along another left to
    /// right (that kernel runs down the lane).
    static func atenDot(_ a: [Double], _ b: [Double], type: DType, vectorized: Bool) -> Double {
        atenSum(Swift.zip(a, b).map { type.round($0 * $1) }, type: type, vectorized: vectorized)
    }

    /// `Σ x` over one lane, in the same order.
    static func atenSum(_ xs: [Double], type: DType, vectorized: Bool) -> Double {
        let add = { (a: Double, b: Double) in type.round(a + b) }
        return vectorized ? ReduceAllOrder.fold(xs, dtype: type, add) : xs.dropFirst().reduce(xs.first ?? 0, add)
    }

    /// The wrapped dimension, or PyTorch's error for integer and bool inputs
    /// (its CPU kernels name themselves: `"softmax_lastdim_kernel_impl"`).
    private func softmaxDim(_ dim: Int, kernel: String) throws -> Int {
        let d = try Shape.wrapDim(dim, rank: rank)
        guard dtype.isFloatingPoint else {
            let name = d >= rank - 1 ? "\(kernel)_lastdim_kernel_impl" : "\(kernel)_kernel_impl"
            throw TorchError.notImplemented("\"\(name)\" not implemented for '\(dtype.scalarTypeName)'")
        }
        return d
    }
}

// MARK: - Lanes: the 1-D slices along one dimension

/// The row-major layout of a shape seen as `outer × count × inner`: lane
/// `(o, i)` holds the elements `o * count * inner + k * inner + i`, k < count.
struct Lanes {
    let outer: Int, count: Int, inner: Int

    init(_ shape: [Int], along d: Int) {
        guard !shape.isEmpty else { (outer, count, inner) = (1, 1, 1); return }
        outer = Shape.numel(Array(shape[..<d]))
        count = shape[d]
        inner = Shape.numel(Array(shape[(d + 1)...]))
    }

    /// The flat positions of each lane, in row-major order of the lanes.
    func forEach(_ body: ([Int]) -> Void) {
        guard count > 0 else { return }
        var positions = [Int](repeating: 0, count: count)
        for o in 0..<outer {
            for i in 0..<inner {
                let start = o * count * inner + i
                for k in 0..<count { positions[k] = start + k * inner }
                body(positions)
            }
        }
    }
}

extension Tensor {
    /// A new tensor of this shape whose every lane along `d` is `f` of the
    /// input's lane (no recording).
    func mapLanes(along d: Int, dtype outType: DType? = nil, _ f: ([Double]) -> [Double]) -> Tensor {
        let type = outType ?? dtype
        let input = values
        var out = [Double](repeating: 0, count: input.count)
        Lanes(shape, along: d).forEach { positions in
            let result = f(positions.map { input[$0] })
            for (k, p) in positions.enumerated() { out[p] = type.round(result[k]) }
        }
        return make(out, shape, type)
    }

    /// Like `mapLanes`, over two row-major buffers of one shape.
    func mapLanePairs(_ a: [Double], _ b: [Double], shape: [Int], along d: Int, dtype type: DType,
                      _ f: ([Double], [Double]) -> [Double]) -> Tensor {
        var out = [Double](repeating: 0, count: a.count)
        Lanes(shape, along: d).forEach { positions in
            let result = f(positions.map { a[$0] }, positions.map { b[$0] })
            for (k, p) in positions.enumerated() { out[p] = type.round(result[k]) }
        }
        return make(out, shape, type)
    }
}
