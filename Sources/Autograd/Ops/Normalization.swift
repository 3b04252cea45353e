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
        // The channel of the element at flat position p.
        let channelOf = { (p: Int) in (p / inner) % c }
        let n = x.count / Swift.max(c, 1)
        var mean = [Double](repeating: 0, count: c), invstd = [Double](repeating: 0, count: c)
        // The statistics accumulate in double, as PyTorch's CPU kernel does.
        var sums = [Double](repeating: 0, count: c), squares = [Double](repeating: 0, count: c)
        if training {
            for p in x.indices { sums[channelOf(p)] += x[p] }
            for ch in 0..<c { mean[ch] = sums[ch] / Double(n) }
            for p in x.indices { squares[channelOf(p)] += (x[p] - mean[channelOf(p)]) * (x[p] - mean[channelOf(p)]) }
            for ch in 0..<c { invstd[ch] = 1 / (squares[ch] / Double(n) + eps).squareRoot() }
            // Written without a version bump: the running statistics a
            // node saved are read by nothing in its backward.
            if let runningMean, let runningVar {
                let rm = runningMean.values, rv = runningVar.values
                runningMean.write((0..<c).map { runningMean.dtype.round(momentum * mean[$0] + (1 - momentum) * rm[$0]) })
                runningVar.write((0..<c).map {
                    let unbiased = squares[$0] / Double(Swift.max(n - 1, 1))
                    return runningVar.dtype.round(momentum * unbiased + (1 - momentum) * rv[$0])
                })
            }
        } else if let runningMean, let runningVar {
            mean = runningMean.values
            invstd = runningVar.values.map { 1 / ($0 + eps).squareRoot() }
        }
        let w = weight?.values, b = bias?.values
        var out = [Double](repeating: 0, count: x.count)
        for p in x.indices {
            let ch = channelOf(p)
            var y = (x[p] - mean[ch]) * invstd[ch]
            if let w { y *= w[ch] }
            if let b { y += b[ch] }
            out[p] = type.round(y)
        }
        let result = input.make(out, input.shape, type)
        let saveMean = input.make(training ? mean.map(type.round) : [], [training ? c : 0], type)
        let saveInvstd = input.make(training ? invstd.map(type.round) : [], [training ? c : 0], type)
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
            _ = try node.saved("result1")
            return try batchNormBackward(grad, x, weight: w, runningMean: rm, runningVar: rv, training: training,
                                         eps: eps, needs: (0..<3).map(node.needsInputGrad))
        }
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
