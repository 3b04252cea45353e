import Foundation

/// `native_batch_norm` (NativeBatchNormBackward0): normalises each channel
/// (dimension 1) of an (N, C) or (N, C, L) input.
extension Tensor {
    /// In training the batch's mean and biased variance normalise the input
    /// and the running statistics move towards the batch's (the variance
    /// unbiased): `running = momentum·batch + (1 - momentum)·running`. In
    /// eval the running statistics normalise. Saves PyTorch's tensors:
    /// `input`, `weight`, `running_mean`, `running_var`, `result1` (the
    /// batch mean) and `result2` (its inverse standard deviation), both empty
    /// in eval.
    public static func nativeBatchNorm(_ input: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?,
                                       runningVar: Tensor?, training: Bool, momentum: Double, eps: Double) throws -> Tensor {
        guard input.rank >= 2 else {
            throw TorchError.value("expected 2D or 3D input (got \(input.rank)D input)")
        }
        let c = input.shape[1]
        for (name, t) in [("running_mean", runningMean), ("running_var", runningVar), ("weight", weight), ("bias", bias)] {
            if let t, t.numel != c { throw TorchError.runtime("\(name) should contain \(c) elements not \(t.numel)") }
        }
        guard training || (runningMean != nil && runningVar != nil) else {
            throw TorchError.runtime("running_mean and running_var must be defined in evaluation mode")
        }
        let x = input.values
        let type = input.dtype
        let inner = input.shape.dropFirst(2).reduce(1, *)
        let n = x.count / Swift.max(c, 1)
        let stats = BatchNormArithmetic(type)
        // Per channel: its mean and inverse standard deviation, as ATen keeps
        // them (float32 for a float32 input), and the output's linear terms.
        var mean = [Double](repeating: 0, count: c), invstd = [Double](repeating: 0, count: c)
        if training {
            var newMean = runningMean?.values ?? [], newVar = runningVar?.values ?? []
            for ch in 0..<c {
                let (m, varSumStored) = stats.channelStatistics(x, channel: ch, channels: c, inner: inner, count: n)
                mean[ch] = m
                invstd[ch] = type.round(1 / (type.round(varSumStored / Double(n)) + eps).squareRoot())
                if let runningMean, let runningVar {
                    let mom = runningMean.dtype.round(momentum)
                    newMean[ch] = stats.fusedMultiplyAdd(type.round((1 - mom) * newMean[ch]), mom, m)
                    let unbiased = type.round(varSumStored / Double(Swift.max(n - 1, 1)))
                    newVar[ch] = runningVar.dtype.round(mom * unbiased + type.round((1 - mom) * newVar[ch]))
                }
            }
            // Written without a version bump: the running statistics a
            // node saved are read by nothing in its backward.
            if let runningMean, let runningVar {
                runningMean.write(newMean)
                runningVar.write(newVar)
            }
        } else if let runningMean, let runningVar {
            mean = runningMean.values
            let e = type.round(eps)
            invstd = runningVar.values.map { type.round(1 / type.round(type.round($0 + e).squareRoot())) }
        }
        // output = x·alpha + beta per channel, both fused as ATen's AVX2
        // build computes them: alpha = invstd·weight, beta = bias - mean·alpha.
        let w = weight?.values, b = bias?.values
        var alpha = [Double](repeating: 0, count: c), beta = [Double](repeating: 0, count: c)
        for ch in 0..<c {
            alpha[ch] = type.round(invstd[ch] * (w?[ch] ?? 1))
            beta[ch] = stats.fusedMultiplyAdd(b?[ch] ?? 0, -mean[ch], alpha[ch])
        }
        var out = [Double](repeating: 0, count: x.count)
        for p in x.indices {
            let ch = (p / inner) % c
            out[p] = stats.fusedMultiplyAdd(beta[ch], x[p], alpha[ch])
        }
        let result = input.make(out, input.shape, type)
        let saveMean = input.make(training ? mean : [], [training ? c : 0], type)
        let saveInvstd = input.make(training ? invstd : [], [training ? c : 0], type)
        return try record("NativeBatchNormBackward0", inputs: [input, weight, bias], output: result, save: { node in
            node.save("input", input)
            if let weight { node.save("weight", weight) } else { node.savedAttributes["weight"] = SavedAttribute.none }
            if let runningMean { node.save("running_mean", runningMean) } else { node.savedAttributes["running_mean"] = SavedAttribute.none }
            if let runningVar { node.save("running_var", runningVar) } else { node.savedAttributes["running_var"] = SavedAttribute.none }
            node.save("result1", saveMean)
            node.save("result2", saveInvstd)
            node.savedAttributes["eps"] = .double(eps)
            node.savedAttributes["training"] = .bool(training)
        }) { node, grad in
            let x = try node.saved("input")
            let w = try weight.map { _ in try node.saved("weight") }
            let rm = try runningMean.map { _ in try node.saved("running_mean") }
            let rv = try runningVar.map { _ in try node.saved("running_var") }
            let savedMean = try node.saved("result1"), savedInvstd = try node.saved("result2")
            let needs = (0..<3).map(node.needsInputGrad)
            // A backward that records nothing gets ATen's kernel arithmetic
            // (its last bits); a create_graph one differentiable tensor ops.
            if !grad.runtime.gradEnabled && (x.dtype == .float32 || x.dtype == .float64) && grad.dtype == x.dtype {
                return batchNormBackwardKernel(grad, x, weight: w, savedMean: savedMean, savedInvstd: savedInvstd,
                                               runningMean: rm, runningVar: rv, training: training, eps: eps, needs: needs)
            }
            return try batchNormBackward(grad, x, weight: w, runningMean: rm, runningVar: rv, training: training,
                                         eps: eps, needs: needs)
        }
    }

    /// `native_batch_norm_backward` as ATen's CPU kernel computes it
    /// (`batch_norm_cpu_backward_*_impl`): per channel, the sum of the
    /// incoming gradient and its dot product with x - mean, then
    /// dx = (dy - Σdy/N - (x - mean)·k)·invstd·w with k = dot·invstd²/N,
    /// dw = dot·invstd, db = Σdy. An (N, C) input is channels last to ATen:
    /// both sums run a row at a time in the input's type (the dot product
    /// fused); an (N, C, L) input sums each (n, c) row by vector lanes
    /// (Note [ATen's reduce-all order]) into doubles.
    static func batchNormBackwardKernel(_ grad: Tensor, _ x: Tensor, weight: Tensor?, savedMean: Tensor, savedInvstd: Tensor,
                                        runningMean: Tensor?, runningVar: Tensor?, training: Bool, eps: Double,
                                        needs: [Bool]) -> [Tensor?] {
        let type = x.dtype
        let f = BatchNormArithmetic(type)
        let c = x.shape[1], inner = x.shape.dropFirst(2).reduce(1, *)
        let rows = x.numel / Swift.max(c * inner, 1), n = rows * inner
        let xs = x.values, dy = grad.values
        let w = weight?.values ?? [Double](repeating: 1, count: c)
        let mean: [Double], invstd: [Double]
        if training {
            mean = savedMean.values
            invstd = savedInvstd.values
        } else {
            mean = runningMean?.values ?? [Double](repeating: 0, count: c)
            invstd = (runningVar?.values ?? [Double](repeating: 1, count: c)).map { type.round(1 / ($0 + eps).squareRoot()) }
        }
        var sum = [Double](repeating: 0, count: c), dot = [Double](repeating: 0, count: c)
        var dx = [Double](repeating: 0, count: xs.count)
        let channelsLast = inner == 1
        if channelsLast {
            for r in 0..<rows {
                for ch in 0..<c {
                    let p = r * c + ch
                    sum[ch] = type.round(sum[ch] + dy[p])
                    dot[ch] = f.fusedMultiplyAdd(dot[ch], type.round(xs[p] - mean[ch]), dy[p])
                }
            }
        } else {
            for ch in 0..<c {
                var s = 0.0, d = 0.0
                for r in 0..<rows {
                    let start = (r * c + ch) * inner
                    let plane = Array(dy[start..<(start + inner)])
                    s += ReduceAllOrder.fold(plane, dtype: type) { type.round($0 + $1) }
                    d += mapReduceDot(xs, dy, start: start, count: inner, mean: mean[ch], f)
                }
                sum[ch] = s
                dot[ch] = d
            }
        }
        let count = Double(n)
        for ch in 0..<c {
            let k: Double, gradMean: Double
            if channelsLast {
                k = type.round(type.round(type.round(dot[ch] * invstd[ch]) * invstd[ch]) / count)
                gradMean = type.round(sum[ch] / count)
            } else {
                k = type.round(type.round(type.round(type.round(dot[ch]) * invstd[ch]) * invstd[ch]) / count)
                gradMean = type.round(sum[ch] / count)
            }
            for r in 0..<rows {
                for i in 0..<inner {
                    let p = (r * c + ch) * inner + i
                    if training {
                        let centred = type.round(xs[p] - mean[ch])
                        // The (N, C, L) kernel's lambda fuses (x - mean)·k into
                        // the subtraction; the channels-last loop does not
                        // (both measured against PyTorch:
                        // fixtures/models/batchnorm-aten-arithmetic.py).
                        let t = channelsLast
                            ? type.round(type.round(dy[p] - gradMean) - type.round(centred * k))
                            : f.fusedMultiplyAdd(type.round(dy[p] - gradMean), -centred, k)
                        dx[p] = type.round(type.round(t * invstd[ch]) * w[ch])
                    } else {
                        dx[p] = type.round(type.round(dy[p] * invstd[ch]) * w[ch])
                    }
                }
            }
        }
        var grads: [Tensor?] = [nil, nil, nil]
        if needs[0] { grads[0] = x.make(dx, x.shape, type) }
        if needs[1] { grads[1] = x.make((0..<c).map { type.round(dot[$0] * invstd[$0]) }, [c], type) }
        if needs[2] { grads[2] = x.make(sum.map(type.round), [c], type) }
        return grads
    }

    /// ATen's `map2_reduce_all` of (x - mean)·dy over one row: a vector of
    /// products, then each further vector fused into it lane by lane, a
    /// short tail into the first lanes, the lanes folded in halves; a row
    /// shorter than a vector left to right.
    private static func mapReduceDot(_ xs: [Double], _ dy: [Double], start: Int, count: Int, mean: Double,
                                     _ f: BatchNormArithmetic) -> Double {
        let type = f.type
        let width = type == .float32 ? 8 : 4
        func product(_ p: Int) -> Double { type.round(type.round(xs[p] - mean) * dy[p]) }
        guard count >= width else {
            return (1..<Swift.max(count, 1)).reduce(count > 0 ? product(start) : 0) { type.round($0 + product(start + $1)) }
        }
        var acc = (0..<width).map { product(start + $0) }
        var k = width
        while k < count {
            for l in 0..<Swift.min(width, count - k) {
                let p = start + k + l
                acc[l] = f.fusedMultiplyAdd(acc[l], type.round(xs[p] - mean), dy[p])
            }
            k += width
        }
        var half = width / 2
        while half >= 1 {
            for l in 0..<half { acc[l] = type.round(acc[l] + acc[l + half]) }
            half /= 2
        }
        return acc[0]
    }

    /// The gradients of batch norm written with tensor ops, recomputing the
    /// batch statistics from the saved input so that a create_graph backward
    /// differentiates through them. With x̂ the normalised input, n the
    /// values per channel and g the incoming gradient:
    /// training: dx = w·invstd/n · (n·g - Σg - x̂·Σ(g·x̂));
    /// eval: dx = g·w·invstd; and dw = Σ(g·x̂), db = Σg.
    static func batchNormBackward(_ grad: Tensor, _ x: Tensor, weight: Tensor?, runningMean: Tensor?, runningVar: Tensor?,
                                  training: Bool, eps: Double, needs: [Bool]) throws -> [Tensor?] {
        let c = x.shape[1]
        let dims = [0] + Array(2..<x.rank)
        let channelShape = [1, c] + [Int](repeating: 1, count: x.rank - 2)
        let n = Double(x.numel / Swift.max(c, 1))
        let epsilon = Tensor.wrapped(grad.runtime, eps, dtype: .float64)
        let mean: Tensor, invstd: Tensor
        if training {
            mean = try x.mean(dims: dims, keepdim: true)
            let centered = try x.sub(mean)
            invstd = try centered.mul(centered).mean(dims: dims, keepdim: true).add(epsilon).sqrt().reciprocal()
        } else {
            guard let runningMean, let runningVar else { return [nil, nil, nil] }
            mean = try runningMean.view(channelShape)
            invstd = try runningVar.view(channelShape).add(epsilon).sqrt().reciprocal()
        }
        let xhat = try x.sub(mean).mul(invstd)
        let scale = try weight.map { try $0.view(channelShape).mul(invstd) } ?? invstd
        var grads: [Tensor?] = [nil, nil, nil]
        if needs[0] {
            if training {
                let sumG = try grad.sum(dims: dims, keepdim: true)
                let sumGX = try grad.mul(xhat).sum(dims: dims, keepdim: true)
                let inner = try grad.mul(scalar: n).sub(sumG).sub(xhat.mul(sumGX))
                grads[0] = try scale.div(scalar: n).mul(inner)
            } else {
                grads[0] = try grad.mul(scale)
            }
        }
        if needs[1] { grads[1] = try grad.mul(xhat).sum(dims: dims) }
        if needs[2] { grads[2] = try grad.sum(dims: dims) }
        return grads
    }
}

/// The arithmetic of ATen's CPU batch norm (aten/src/ATen/native/cpu/
/// batch_norm_kernel.cpp) in the input's type: statistics summed in double,
/// stored in the input's type; the output as `x * alpha + beta`, where the
/// AVX2 build (GCC contracting multiply-adds) fuses `bias - mean * alpha`
/// and `x * alpha + beta` into single-rounding FMAs. A channel of equal
/// values therefore gives PyTorch's small non-zero outputs (the rounding of
/// `mean * alpha` survives in beta), not exact zeros.
struct BatchNormArithmetic {
    let type: DType
    init(_ type: DType) { self.type = type }

    /// A channel's mean and sum of squared deviations, in the input's type.
    /// An (N, C) input is "channels last" to ATen (`image_size == 1`): each
    /// sum runs in the input's type over the batch, a row at a time (one
    /// thread's order; the squares fused), and only the division by N in
    /// double. Otherwise each element is added into a double.
    func channelStatistics(_ x: [Double], channel ch: Int, channels c: Int, inner: Int, count n: Int) -> (mean: Double, varSum: Double) {
        let rows = n / Swift.max(inner, 1)
        if inner == 1 && n > 1 {
            var sum = 0.0
            for b in 0..<rows { sum = type.round(x[b * c + ch] + sum) }
            let mean = type.round(sum / Double(n))
            var squares = 0.0
            for b in 0..<rows {
                let d = type.round(x[b * c + ch] - mean)
                squares = fusedMultiplyAdd(squares, d, d)
            }
            return (mean, squares)
        }
        var sum = 0.0
        for b in 0..<rows { for i in 0..<inner { sum += x[(b * c + ch) * inner + i] } }
        let mean = type.round(sum / Double(n))
        var squares = 0.0
        for b in 0..<rows {
            for i in 0..<inner {
                let d = type.round(x[(b * c + ch) * inner + i] - mean)
                squares += type.round(d * d)
            }
        }
        return (mean, type.round(squares))
    }

    /// `c + a·b` rounded once to the input's type.
    func fusedMultiplyAdd(_ c: Double, _ a: Double, _ b: Double) -> Double {
        type == .float32 ? Double(fma32(Float(c), Float(a), Float(b))) : c.addingProduct(a, b)
    }
}
