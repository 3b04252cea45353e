import Foundation

/// How a loss reduces its per-element values (PyTorch's `reduction=` and
/// the number its backward functions save as `_saved_reduction`).
public enum Reduction: Int, Sendable {
    case none = 0, mean = 1, sum = 2

    /// `reduction='mean'`; PyTorch's ValueError for anything else.
    public init(name: String) throws {
        switch name {
        case "none": self = .none
        case "mean": self = .mean
        case "sum": self = .sum
        default: throw TorchError.value("\(name) is not a valid value for reduction")
        }
    }
}

/// The loss kernels: `mse_loss`, `nll_loss` and
/// `binary_cross_entropy_with_logits`, each one node as in PyTorch
/// (MseLossBackward0, NllLossBackward0, BinaryCrossEntropyWithLogitsBackward0)
/// whose backward is written with tensor ops.
extension Tensor {
    /// Reduces per-element losses as PyTorch's `apply_loss_reduction` does.
    private func reduced(_ reduction: Reduction) -> Tensor {
        switch reduction {
        case .none: return self
        case .sum: return reduceSum(dims: Set(0..<rank), keepdim: false, dtype: dtype)
        case .mean:
            let count = Double(numel)
            return reduceSum(dims: Set(0..<rank), keepdim: false, dtype: dtype).map { $0 / count }
        }
    }

    /// `torch._C._nn.mse_loss(input, target, reduction)`: `(input - target)²`,
    /// reduced. Shapes must already agree (`F.mse_loss` broadcasts first).
    public static func mseLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction) throws -> Tensor {
        let type = resultType([input, target])
        let diff = try input.zip(target, dtype: type) { $0 - $1 }
        let out = diff.map { $0 * $0 }.reduced(reduction)
        return try record("MseLossBackward0", inputs: [input, target], output: out, save: { node in
            node.save("self", input)
            node.save("target", target)
            node.savedAttributes["reduction"] = .int(reduction.rawValue)
        }) { node, grad in
            let x = try node.saved("self"), t = try node.saved("target")
            return [node.needsInputGrad(0) ? try mseLossBackward(grad, x, t, reduction: reduction) : nil,
                    node.needsInputGrad(1) ? try mseLossBackward(grad, t, x, reduction: reduction) : nil]
        }
    }

    /// `mse_loss_backward(grad, a, b)` = `norm·(a - b)·grad`, norm 2 (over
    /// numel for the mean): its own node (MseLossBackwardBackward0), as in
    /// PyTorch, so a second derivative shows it.
    static func mseLossBackward(_ grad: Tensor, _ input: Tensor, _ target: Tensor, reduction: Reduction) throws -> Tensor {
        let norm = reduction == .mean ? 2 / Double(input.numel) : 2
        let out = try grad.runtime.withGradMode(false) { try input.sub(target).mul(scalar: norm).mul(grad) }
        return try record("MseLossBackwardBackward0", inputs: [grad, input, target], output: out, save: { node in
            node.save("grad_output", grad)
            node.save("self", input)
            node.save("target", target)
            node.savedAttributes["reduction"] = .int(reduction.rawValue)
        }) { node, gg in
            let go = try node.saved("grad_output"), x = try node.saved("self"), t = try node.saved("target")
            var grads: [Tensor?] = [nil, nil, nil]
            if node.needsInputGrad(0) {
                // mse_loss_double_backward_grad_output
                grads[0] = reduction == .none
                    ? try mseLossBackward(gg, x, t, reduction: reduction)
                    : try mseLossBackward(Tensor.full(gg.runtime, value: 1, shape: go.shape, dtype: go.dtype), x, t, reduction: reduction)
                        .mul(gg).sum()
            }
            if node.needsInputGrad(1) || node.needsInputGrad(2) {
                // mse_loss_double_backward: 2·grad (over numel for the mean).
                var g = try gg.mul(go).mul(scalar: 2)
                if reduction == .mean { g = try g.div(scalar: Double(x.numel)) }
                if node.needsInputGrad(1) { grads[1] = g }
                if node.needsInputGrad(2) { grads[2] = try g.neg() }
            }
            return grads
        }
    }

    /// `nll_loss(input, target, weight, reduction, ignore_index)` for a 1-D
    /// input (one sample of C classes, 0-d target) or a 2-D (N, C) input.
    /// Loss of sample i: `-weight[t_i] * input[i, t_i]` (0 when `t_i` is
    /// `ignoreIndex`); the mean divides by the summed weights (`total_weight`).
    public static func nllLoss(_ input: Tensor, _ target: Tensor, weight: Tensor?, reduction: Reduction,
                               ignoreIndex: Int = -100) throws -> Tensor {
        guard target.dtype == .int64 else {
            throw TorchError.runtime("expected target dtype to be Long or Byte, but got \(target.dtype.scalarTypeName)")
        }
        guard input.rank == 1 || input.rank == 2 else {
            throw TorchError.notImplemented("nll_loss of a \(input.rank)-D input is not supported by autograd-viz (only (C) and (N, C))")
        }
        guard target.rank <= 1 else { throw TorchError.runtime("0D or 1D target tensor expected, multi-target not supported") }
        let batched = input.rank == 2
        let (n, c) = batched ? (input.shape[0], input.shape[1]) : (1, input.shape[0])
        if batched {
            guard target.rank == 1, target.shape[0] == n else {
                throw TorchError.value("Expected input batch_size (\(n)) to match target batch_size (\(target.rank == 0 ? 1 : target.shape[0])).")
            }
        } else {
            guard target.rank == 0 else {
                throw TorchError.runtime("1D target tensor expects 1D input tensors, but found inputs with sizes [\(c)] and [\(target.shape[0])].")
            }
        }
        if let weight, weight.numel != c {
            throw TorchError.runtime("weight tensor should be defined either for all \(c) classes or no classes but got weight tensor of shape: \(Shape.list(weight.shape))")
        }
        let x = input.values
        let type = input.dtype
        let coefficients = try nllCoefficients(target, weight: weight, classes: c, ignoreIndex: ignoreIndex)
        var losses = [Double](repeating: 0, count: n)
        for i in 0..<n {
            guard let (t, coefficient) = coefficients[i] else { continue }
            losses[i] = type.round(coefficient * x[i * c + t])
        }
        // The reduction as ATen's `nll_loss_out_frame` adds: an eight-level
        // cascade over the batch, in the input's type.
        let (lossSum, totalWeight) = nllCascade(x, coefficients, classes: c, weighted: weight != nil, type: type)
        let total = input.make([totalWeight], [], type)
        let out: Tensor
        switch reduction {
        case .none:
            out = input.make(losses, batched ? [n] : [], type)
        case .sum, .mean:
            out = input.make([reduction == .mean ? type.round(lossSum / totalWeight) : lossSum], [], type)
        }
        return try record("NllLossBackward0", inputs: [input], output: out, save: { node in
            node.save("self", input)
            node.save("target", target)
            node.save("total_weight", total)
            if let weight { node.save("weight", weight) } else { node.savedAttributes["weight"] = SavedAttribute.none }
            node.savedAttributes["ignore_index"] = .int(ignoreIndex)
            node.savedAttributes["reduction"] = .int(reduction.rawValue)
        }) { node, grad in
            [try nllLossBackward(grad, node.saved("self"), node.saved("target"), weight: weight.map { _ in try node.saved("weight") },
                                 reduction: reduction, ignoreIndex: ignoreIndex, totalWeight: node.saved("total_weight"))]
        }
    }

    /// `nll_loss_out_frame`'s sums: each sample's `-input·weight` (and its
    /// weight) into level 0 of eight partial sums, a level carried into the
    /// next every `2^levelPower` samples, then the levels added in order;
    /// without weights the total weight is the count of samples kept.
    private static func nllCascade(_ x: [Double], _ coefficients: [(Int, Double)?], classes c: Int, weighted: Bool,
                                   type: DType) -> (loss: Double, totalWeight: Double) {
        let levels = 8
        let levelPower = Swift.max(4, CascadeSum.ceilLog2(coefficients.count) / levels)
        let levelMask = (1 << levelPower) - 1
        var loss = [Double](repeating: 0, count: levels), weights = [Double](repeating: 0, count: levels)
        var ignored = 0
        for (b, entry) in coefficients.enumerated() {
            guard let (t, coefficient) = entry else {
                ignored += 1
                continue
            }
            let data = x[b * c + t]
            if weighted {
                loss[0] = type.round(loss[0] - type.round(data * -coefficient))
                weights[0] = type.round(weights[0] - coefficient)
            } else {
                loss[0] = type.round(loss[0] - data)
            }
            for j in 0..<(levels - 1) {
                if b & (levelMask << (j * levelPower)) != 0 { break }
                weights[j + 1] = type.round(weights[j + 1] + weights[j])
                loss[j + 1] = type.round(loss[j + 1] + loss[j])
                weights[j] = 0
                loss[j] = 0
            }
        }
        let total = weighted ? weights.reduce(0) { type.round($0 + $1) } : Double(coefficients.count - ignored)
        return (loss.reduce(0) { type.round($0 + $1) }, total)
    }

    /// For each sample, the target class and `-weight[class]`; nil for an
    /// ignored sample. The loss is linear in the input with these
    /// coefficients, so they serve the forward and the backward.
    private static func nllCoefficients(_ target: Tensor, weight: Tensor?, classes c: Int,
                                        ignoreIndex: Int) throws -> [(Int, Double)?] {
        let w = weight?.values
        return try target.values.map { value in
            let t = Int(value)
            if t == ignoreIndex { return nil }
            guard t >= 0 && t < c else { throw TorchError.index("Target \(t) is out of bounds.") }
            return (t, -(w.map { $0[t] } ?? 1))
        }
    }

    /// `nll_loss_backward`: `-weight[t_i]·grad` at each sample's target
    /// (over the total weight for the mean), zero elsewhere. Its own node
    /// (NllLossBackwardBackward0, edges grad_output and self), as in PyTorch.
    static func nllLossBackward(_ grad: Tensor, _ input: Tensor, _ target: Tensor, weight: Tensor?, reduction: Reduction,
                                ignoreIndex: Int, totalWeight: Tensor) throws -> Tensor {
        let c = input.rank == 2 ? input.shape[1] : input.shape[0]
        var k = [Double](repeating: 0, count: input.numel)
        for (i, entry) in try nllCoefficients(target, weight: weight, classes: c, ignoreIndex: ignoreIndex).enumerated() {
            if let (t, coefficient) = entry { k[i * c + t] = coefficient }
        }
        let out = try grad.runtime.withGradMode(false) { () throws -> Tensor in
            var g = grad
            if reduction == .mean { g = try grad.div(totalWeight) }
            if reduction == .none && input.rank == 2 { g = try grad.unsqueeze(1) }
            return try input.make(k, input.shape, input.dtype).mul(g)
        }
        return try record("NllLossBackwardBackward0", inputs: [grad, input], output: out, save: { node in
            node.save("target", target)
            if let weight { node.save("weight", weight) } else { node.savedAttributes["weight"] = SavedAttribute.none }
            node.savedAttributes["ignore_index"] = .int(ignoreIndex)
            node.savedAttributes["reduction"] = .int(reduction.rawValue)
        }) { [shape = input.shape, dtype = input.dtype] node, gg in
            let t = try node.saved("target"), w = try weight.map { _ in try node.saved("weight") }
            // grad_output: the loss of gg itself; self: zero (the loss is linear).
            return [node.needsInputGrad(0) ? try nllLoss(gg, t, weight: w, reduction: reduction, ignoreIndex: ignoreIndex) : nil,
                    node.needsInputGrad(1) ? Tensor.zeros(gg.runtime, shape: shape, dtype: dtype) : nil]
        }
    }

    /// `binary_cross_entropy_with_logits(input, target, weight, pos_weight,
    /// reduction)`: `(1 - t)·x - (1 + (pos_weight - 1)·t)·log σ(x)`, times
    /// `weight`, reduced.
    public static func binaryCrossEntropyWithLogits(_ input: Tensor, _ target: Tensor, weight: Tensor?,
                                                    posWeight: Tensor?, reduction: Reduction) throws -> Tensor {
        let type = resultType([input, target])
        var shape = try Shape.broadcast(input.shape, target.shape)
        if let weight { shape = try Shape.broadcast(shape, weight.shape) }
        if let posWeight { shape = try Shape.broadcast(shape, posWeight.shape) }
        let x = input.values(broadcastTo: shape), t = target.values(broadcastTo: shape)
        let w = weight?.values(broadcastTo: shape), pw = posWeight?.values(broadcastTo: shape)
        var losses = [Double](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let logSigmoid = Swift.min(x[i], 0) - Foundation.log1p(Foundation.exp(-Swift.abs(x[i])))
            let logWeight = pw.map { ($0[i] - 1) * t[i] + 1 } ?? 1
            var loss = (1 - t[i]) * x[i] - logWeight * logSigmoid
            if let w { loss *= w[i] }
            losses[i] = type.round(loss)
        }
        let out = input.make(losses, shape, type).reduced(reduction)
        let count = Double(Shape.numel(shape))
        return try record("BinaryCrossEntropyWithLogitsBackward0", inputs: [input, target], output: out, save: { node in
            node.save("self", input)
            node.save("target", target)
            if let weight { node.save("weight", weight) } else { node.savedAttributes["weight"] = SavedAttribute.none }
            if let posWeight { node.save("pos_weight", posWeight) } else { node.savedAttributes["pos_weight"] = SavedAttribute.none }
            node.savedAttributes["reduction"] = .int(reduction.rawValue)
        }) { node, grad in
            let x = try node.saved("self"), t = try node.saved("target")
            let w = try weight.map { _ in try node.saved("weight") }
            let pw = try posWeight.map { _ in try node.saved("pos_weight") }
            func finish(_ g: Tensor) throws -> Tensor {
                var g = try g.mul(grad)
                if let w { g = try g.mul(w) }
                return reduction == .mean ? try g.div(scalar: count) : g
            }
            var grads: [Tensor?] = [nil, nil]
            if node.needsInputGrad(0) {
                // (1 + (pw - 1)·t)·σ(x) - pw·t, or σ(x) - t without pos_weight.
                if let pw {
                    let pt = try pw.mul(t)
                    let one = Tensor.wrapped(grad.runtime, 1, dtype: .int64)
                    grads[0] = try finish(pt.add(one).sub(t).mul(x.sigmoid()).sub(pt))
                } else {
                    grads[0] = try finish(x.sigmoid().sub(t))
                }
            }
            if node.needsInputGrad(1) {
                // log σ(-x) - pw·log σ(x), or -x without pos_weight.
                grads[1] = try finish(pw.map { try x.neg().logSigmoid().sub(x.logSigmoid().mul($0)) } ?? x.neg())
            }
            return grads
        }
    }

    /// `F.logsigmoid` (LogSigmoidBackward0): `min(x, 0) - log1p(exp(-|x|))`.
    /// PyTorch's CPU kernel also returns `buffer = exp(-|x|)`, which it saves
    /// and its backward reads.
    public func logSigmoid() throws -> Tensor {
        let type = dtype.isFloatingPoint ? dtype : .float32
        let out = map(dtype: type) { Swift.min($0, 0) - Foundation.log1p(Foundation.exp(-Swift.abs($0))) }
        let buffer = map(dtype: type) { Foundation.exp(-Swift.abs($0)) }
        return try Tensor.record("LogSigmoidBackward0", inputs: [self], output: out, save: { node in
            node.save("buffer", buffer)
            node.save("self", self)
        }) { node, grad in
            [try Tensor.logSigmoidBackward(grad, node.saved("self"), node.saved("buffer"))]
        }
    }

    /// `log_sigmoid_backward(grad, self, buffer)` as PyTorch's CPU kernel
    /// computes it, `(x < 0 ? 1 - z/(1+z) : z/(1+z)) * grad` with
    /// `z = buffer` (= σ(-x)), and its own gradient
    /// (LogSigmoidBackwardBackward0: `grad * σ(x) (σ(x) - 1)` for self).
    static func logSigmoidBackward(_ grad: Tensor, _ x: Tensor, _ buffer: Tensor) throws -> Tensor {
        let type = DType.promote(grad.dtype, x.dtype)
        let (g, xs, zs) = (grad.values(broadcastTo: x.shape), x.values, buffer.values)
        let out = x.make((0..<xs.count).map { i in
            let negative = xs[i] < 0
            if type == .float32 {
                let z = Float(zs[i])
                return Double(((negative ? 1 : 0) - (negative ? 1 : -1) * (z / (1 + z))) * Float(g[i]))
            }
            return ((negative ? 1 : 0) - (negative ? 1 : -1) * (zs[i] / (1 + zs[i]))) * g[i]
        }, x.shape, type)
        return try record("LogSigmoidBackwardBackward0", inputs: [grad, x], output: out, save: { node in
            node.save("buffer", buffer)
            node.save("grad_output", grad)
            node.save("self", x)
        }) { node, gg in
            let x = try node.saved("self")
            return [node.needsInputGrad(0) ? try logSigmoidBackward(gg, x, node.saved("buffer")) : nil,
                    node.needsInputGrad(1) ? try gg.mul(node.saved("grad_output")).mul(x.sigmoid().sub(scalar: 1)).mul(x.sigmoid()) : nil]
        }
    }
}
