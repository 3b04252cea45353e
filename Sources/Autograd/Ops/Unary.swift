import Foundation

/// Elementwise math functions, each with its derivative beside it.
/// Integer inputs are computed in float32, as PyTorch does.
extension Tensor {
    private var floatType: DType { dtype.isFloatingPoint ? dtype : .float32 }

    public func exp() throws -> Tensor {
        let out = map(dtype: floatType) { Foundation.exp($0) }
        return try Tensor.record("ExpBackward0", inputs: [self], output: out, save: { $0.save("result", out, isOutput: true) }) { node, grad in
            [try grad.mul(node.saved("result"))]
        }
    }

    public func log() throws -> Tensor {
        let out = map(dtype: floatType) { Foundation.log($0) }
        return try Tensor.record("LogBackward0", inputs: [self], output: out, save: { $0.save("self", self) }) { node, grad in
            [try grad.div(node.saved("self"))]
        }
    }

    public func sqrt() throws -> Tensor {
        let out = map(dtype: floatType) { $0.squareRoot() }
        return try Tensor.record("SqrtBackward0", inputs: [self], output: out, save: { $0.save("result", out, isOutput: true) }) { node, grad in
            [try grad.div(node.saved("result").mul(scalar: 2))]
        }
    }

    public func sin() throws -> Tensor {
        let out = map(dtype: floatType) { Foundation.sin($0) }
        return try Tensor.record("SinBackward0", inputs: [self], output: out, save: { $0.save("self", self) }) { node, grad in
            [try grad.mul(node.saved("self").cos())]
        }
    }

    public func cos() throws -> Tensor {
        let out = map(dtype: floatType) { Foundation.cos($0) }
        return try Tensor.record("CosBackward0", inputs: [self], output: out, save: { $0.save("self", self) }) { node, grad in
            [try grad.mul(node.saved("self").sin().neg())]
        }
    }

    public func tanh() throws -> Tensor {
        let out = map(dtype: floatType) { Foundation.tanh($0) }
        return try Tensor.record("TanhBackward0", inputs: [self], output: out, save: { $0.save("result", out, isOutput: true) }) { node, grad in
            [try Tensor.tanhBackward(grad, node.saved("result"))]
        }
    }

    /// `tanh_backward(grad, y) = grad * (1 - y²)`, its own op in PyTorch
    /// (so a second derivative shows `TanhBackwardBackward0`).
    static func tanhBackward(_ grad: Tensor, _ y: Tensor) throws -> Tensor {
        let out = try grad.zip(y, dtype: resultType(grad, y)) { g, y in g * (1 - y * y) }
        return try record("TanhBackwardBackward0", inputs: [grad, y], output: out, save: { node in
            node.save("grad_output", grad)
            node.save("output", y)
        }) { node, gg in
            let g = try node.saved("grad_output"), y = try node.saved("output")
            let two = Tensor.wrapped(gg.runtime, -2, dtype: .int64)
            return [node.needsInputGrad(0) ? try tanhBackward(gg, y) : nil,
                    node.needsInputGrad(1) ? try gg.mul(two).mul(g).mul(y) : nil]
        }
    }

    public func sigmoid() throws -> Tensor {
        // float32 as ATen's kernel: its vectorized loop takes 16 elements
        // at a time, 1 / (exp(-x) + 1) in float with Sleef's exp (Note
        // [ATen's vectorized exp]); the elements left over go through the
        // scalar op, 1 / (1 + expf(-x)) with libm's expf.
        let vectorEnd = numel - numel % 16
        let out = floatType == .float32
            ? mapIndexed(dtype: .float32) { i, x in
                let a = Float(x)
                return Double(i < vectorEnd ? 1 / (SleefExp.expf(0 - a) + 1) : 1 / (1 + Foundation.exp(-a)))
            }
            : map(dtype: floatType) { 1 / (1 + Foundation.exp(-$0)) }
        return try Tensor.record("SigmoidBackward0", inputs: [self], output: out, save: { $0.save("result", out, isOutput: true) }) { node, grad in
            [try Tensor.sigmoidBackward(grad, node.saved("result"))]
        }
    }

    /// `sigmoid_backward(grad, y) = grad * y * (1 - y)` (SigmoidBackwardBackward0).
    static func sigmoidBackward(_ grad: Tensor, _ y: Tensor) throws -> Tensor {
        // ATen's kernel: grad * (1 - y) * y, in the result's type.
        let type = resultType(grad, y)
        let out = try grad.zip(y, dtype: type) { g, y in
            type == .float32 ? Double(Float(g) * (1 - Float(y)) * Float(y)) : g * (1 - y) * y
        }
        return try record("SigmoidBackwardBackward0", inputs: [grad, y], output: out, save: { node in
            node.save("grad_output", grad)
            node.save("output", y)
        }) { node, gg in
            let g = try node.saved("grad_output"), y = try node.saved("output")
            let one = Tensor.wrapped(gg.runtime, 1, dtype: .int64), two = Tensor.wrapped(gg.runtime, 2, dtype: .int64)
            return [node.needsInputGrad(0) ? try sigmoidBackward(gg, y) : nil,
                    node.needsInputGrad(1) ? try gg.mul(g).mul(y.mul(two).rsub(one)) : nil]
        }
    }

    /// NOTE: the derivative of relu at 0 is taken as 0, as PyTorch does
    /// (`threshold_backward(grad, result, 0)` zeroes grad where result <= 0,
    /// so a NaN passes its gradient through).
    public func relu() throws -> Tensor {
        // `x < 0 ? 0 : x`: NaN and -0. pass through as they do in PyTorch's kernel.
        let out = map { $0 < 0 ? 0 : $0 }
        return try Tensor.record("ReluBackward0", inputs: [self], output: out, save: { $0.save("result", out, isOutput: true) }) { node, grad in
            [try Tensor.thresholdBackward(grad, node.saved("result"), threshold: 0)]
        }
    }

    /// `threshold_backward(grad, self, threshold)`: grad where self > threshold,
    /// else 0. Its own op in PyTorch (ThresholdBackwardBackward0), so relu's
    /// gradient is differentiable again: linear in grad, flat in self.
    static func thresholdBackward(_ grad: Tensor, _ x: Tensor, threshold: Double) throws -> Tensor {
        let out = try grad.zip(x, dtype: resultType(grad, x)) { g, x in x <= threshold ? 0 : g }
        return try record("ThresholdBackwardBackward0", inputs: [grad, x], output: out, save: { node in
            node.save("self", x)
            node.savedAttributes["threshold"] = .double(threshold)
        }) { node, gg in
            [node.needsInputGrad(0) ? try thresholdBackward(gg, node.saved("self"), threshold: threshold) : nil,
             node.needsInputGrad(1) ? try gg.zerosLike() : nil]
        }
    }

    /// NOTE: the derivative of |x| at 0 is taken as 0 (`grad * x.sgn()`, as
    /// derivatives.yaml writes it: SgnBackward0 under create_graph).
    public func abs() throws -> Tensor {
        let out = map { Swift.abs($0) }
        return try Tensor.record("AbsBackward0", inputs: [self], output: out, save: { $0.save("self", self) }) { node, grad in
            [try grad.mul(node.saved("self").sgn())]
        }
    }

    /// `sign()` (SignBackward0, whose gradient is zero); NaN has sign 0, as
    /// in PyTorch's `(0 < x) - (x < 0)`.
    public func sign() throws -> Tensor {
        let out = map(Tensor.signOf)
        return try Tensor.record("SignBackward0", inputs: [self], output: out) { _, grad in [try grad.zerosLike()] }
    }

    /// `sgn()`: `sign()` for real tensors, but its own node (SgnBackward0,
    /// saving self and result for the complex formula). Its gradient for
    /// real ones is PyTorch's efficient zero (Note [ZeroTensor]).
    public func sgn() throws -> Tensor {
        let out = map(Tensor.signOf)
        return try Tensor.record("SgnBackward0", inputs: [self], output: out, save: { node in
            node.save("self", self)
            node.save("result", out, isOutput: true)
        }) { [shape, dtype] node, _ in [Tensor.efficientZeros(node.runtime, shape: shape, dtype: dtype)] }
    }

    private static func signOf(_ x: Double) -> Double { x > 0 ? 1 : (x < 0 ? -1 : 0) }

    /// `clamp(min, max)` with numbers (ClampBackward1): the gradient passes
    /// where min <= x <= max.
    public func clamp(min lo: Double?, max hi: Double?) throws -> Tensor {
        guard lo != nil || hi != nil else {
            throw TorchError.runtime("torch.clamp: At least one of 'min' or 'max' must not be None")
        }
        let out = map { x in
            if x.isNaN { return x }
            var y = x
            // Comparisons, not Swift.max/min: of equal values x is kept (clamp(-0., min=0.) is -0.).
            if let lo, y < lo { y = lo }
            if let hi, y > hi { y = hi }
            return y
        }
        return try Tensor.record("ClampBackward1", inputs: [self], output: out, save: { $0.save("self", self) }) { node, grad in
            let x = try node.saved("self")
            var inside = x.map(dtype: .bool) { _ in 1 }
            // NOTE: at the bounds themselves the gradient is 0, as measured on
            // PyTorch 2.15 (x.clamp(min=0) at x = 0 has grad 0).
            if let lo { inside = try inside.logicalAnd(x.gt(Tensor.wrapped(grad.runtime, lo, dtype: .float64))) }
            if let hi { inside = try inside.logicalAnd(x.lt(Tensor.wrapped(grad.runtime, hi, dtype: .float64))) }
            return [try Tensor.where(inside, grad, Tensor.zeros(grad.runtime, shape: [], dtype: grad.dtype))]
        }
    }

    /// `torch.maximum(a, b)` (MaximumBackward0): ties split the gradient in half.
    public func maximum(_ other: Tensor) throws -> Tensor { try Tensor.extremum(self, other, isMax: true) }
    public func minimum(_ other: Tensor) throws -> Tensor { try Tensor.extremum(self, other, isMax: false) }

    private static func extremum(_ a: Tensor, _ b: Tensor, isMax: Bool) throws -> Tensor {
        let out = try a.zip(b, dtype: resultType(a, b)) { x, y in
            if x.isNaN || y.isNaN { return .nan }
            // Of equal values the first wins (maximum(-0., 0.) is -0.), as in ATen.
            return isMax ? (x < y ? y : x) : (y < x ? y : x)
        }
        return try record(isMax ? "MaximumBackward0" : "MinimumBackward0", inputs: [a, b], output: out, save: { node in
            node.save("self", a)
            node.save("other", b)
        }) { node, grad in
            // derivatives.yaml: `at::where(self == other, grad / 2, grad)`, then
            // `masked_fill_(self < other, 0)` for max's self (`>` for other;
            // the reverse for min), so a NaN passes grad to both inputs.
            let x = try node.saved("self"), y = try node.saved("other")
            func share(losing: Tensor) throws -> Tensor {
                try Tensor.where(x.eq(y), grad.div(scalar: 2), grad).maskedFillZero(losing)
            }
            return [node.needsInputGrad(0) ? try share(losing: isMax ? x.lt(y) : x.gt(y)) : nil,
                    node.needsInputGrad(1) ? try share(losing: isMax ? x.gt(y) : x.lt(y)) : nil]
        }
    }

    /// `masked_fill(mask, 0)` (MaskedFillBackward0, saves `mask`).
    func maskedFillZero(_ mask: Tensor) throws -> Tensor {
        let out = try zip(mask, dtype: dtype) { g, m in m != 0 ? 0 : g }
        return try Tensor.record("MaskedFillBackward0", inputs: [self], output: out, save: { $0.save("mask", mask) }) { node, grad in
            [try grad.maskedFillZero(node.saved("mask"))]
        }
    }
}
