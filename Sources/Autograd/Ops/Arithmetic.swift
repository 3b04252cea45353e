import Foundation

/// `+ - * / **` and unary `-`, each forward beside its backward.
/// Python numbers arrive as wrapped 0-d tensors (`Tensor.wrapped`).
extension Tensor {
    public func add(_ other: Tensor, alpha: Double = 1) throws -> Tensor {
        let out = zeroTensorResult(try zip(other, dtype: Tensor.resultType(self, other)) { $0 + alpha * $1 },
                                   if: isZeroTensor && other.isZeroTensor)
        return try Tensor.record("AddBackward0", inputs: [self, other], output: out) { node, grad in
            [node.needsInputGrad(0) ? grad : nil,
             node.needsInputGrad(1) ? (alpha == 1 ? grad : try grad.mul(scalar: alpha)) : nil]
        }
    }

    public func sub(_ other: Tensor, alpha: Double = 1) throws -> Tensor {
        let out = zeroTensorResult(try zip(other, dtype: Tensor.resultType(self, other)) { $0 - alpha * $1 },
                                   if: isZeroTensor && other.isZeroTensor)
        return try Tensor.record("SubBackward0", inputs: [self, other], output: out) { node, grad in
            [node.needsInputGrad(0) ? grad : nil,
             node.needsInputGrad(1) ? (alpha == 1 ? try grad.neg() : try grad.neg().mul(scalar: alpha)) : nil]
        }
    }

    /// `number - tensor` (`torch.rsub`): one input, as PyTorch records it.
    public func rsub(_ number: Tensor) throws -> Tensor {
        let out = try number.zip(self, dtype: Tensor.resultType(self, number)) { $0 - $1 }
        return try Tensor.record("RsubBackward1", inputs: [self], output: out) { _, grad in [try grad.neg()] }
    }

    public func mul(_ other: Tensor) throws -> Tensor {
        let out = zeroTensorResult(try zip(other, dtype: Tensor.resultType(self, other)) { $0 * $1 },
                                   if: isZeroTensor || other.isZeroTensor)
        return try Tensor.record("MulBackward0", inputs: [self, other], output: out, save: { node in
            if node.needsInputGrad(1) { node.save("self", self) } else { node.savedAttributes["self"] = SavedAttribute.none }
            if node.needsInputGrad(0) { node.save("other", other) } else { node.savedAttributes["other"] = SavedAttribute.none }
        }) { node, grad in
            [node.needsInputGrad(0) ? try grad.mul(node.saved("other")) : nil,
             node.needsInputGrad(1) ? try grad.mul(node.saved("self")) : nil]
        }
    }

    /// `tensor * number` as PyTorch's C++ gradient formulas write it
    /// (`mul(Tensor, Scalar)`): MulBackward1, one input, the number kept as
    /// `_saved_other`. Scripts' `a * 2` is MulBackward0 instead.
    func mul(scalar: Double) throws -> Tensor {
        let type: DType = dtype.isFloatingPoint ? dtype : .float32
        let s = type.round(scalar)
        let out = zeroTensorResult(map(dtype: type) { $0 * s }, if: isZeroTensor)
        return try Tensor.record("MulBackward1", inputs: [self], output: out, save: { node in
            node.savedAttributes["other"] = .double(scalar)
        }) { _, grad in [try grad.mul(scalar: scalar)] }
    }

    /// `tensor - number` in gradient formulas (SubBackward1, `sub.Scalar`).
    func sub(scalar: Double) throws -> Tensor {
        let out = map { $0 - scalar }
        return try Tensor.record("SubBackward1", inputs: [self], output: out) { _, grad in [grad] }
    }

    /// `tensor / number` in gradient formulas (DivBackward1).
    func div(scalar: Double) throws -> Tensor {
        let type: DType = dtype.isFloatingPoint ? dtype : .float32
        let s = type.round(scalar)
        let out = zeroTensorResult(map(dtype: type) { $0 / s }, if: isZeroTensor)
        return try Tensor.record("DivBackward1", inputs: [self], output: out, save: { node in
            node.savedAttributes["other"] = .double(scalar)
        }) { _, grad in [try grad.div(scalar: scalar)] }
    }

    public func div(_ other: Tensor) throws -> Tensor {
        var type = Tensor.resultType(self, other)
        if !type.isFloatingPoint { type = .float32 }  // true division
        let out = zeroTensorResult(try zip(other, dtype: type) { $0 / $1 }, if: isZeroTensor)
        return try Tensor.record("DivBackward0", inputs: [self, other], output: out, save: { node in
            if node.needsInputGrad(1) { node.save("self", self) }
            node.save("other", other)
        }) { node, grad in
            let other = try node.saved("other")
            return [node.needsInputGrad(0) ? try grad.div(other) : nil,
                    node.needsInputGrad(1) ? try grad.neg().mul(node.saved("self").div(other).div(other)) : nil]
        }
    }

    /// `number / tensor`: PyTorch computes `reciprocal(t) * number`.
    public func rdiv(_ number: Tensor) throws -> Tensor { try reciprocal().mul(number) }

    public func reciprocal() throws -> Tensor {
        let out = map(dtype: dtype.isFloatingPoint ? dtype : .float32) { 1 / $0 }
        return try Tensor.record("ReciprocalBackward0", inputs: [self], output: out, save: { node in
            node.save("result", out, isOutput: true)
        }) { node, grad in
            let result = try node.saved("result")
            return [try grad.neg().mul(result.mul(result))]
        }
    }

    public func neg() throws -> Tensor {
        guard dtype != .bool else {
            throw TorchError.notImplemented("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
        }
        let out = map { -$0 }
        return try Tensor.record("NegBackward0", inputs: [self], output: out) { _, grad in [try grad.neg()] }
    }

    /// PyTorch's `pow_tensor_scalar_optimized_kernel` for floating types:
    /// exponents 2, 3, -2, 0.5, -0.5 and -1 are products, square roots and
    /// reciprocals in the tensor's own precision (so `(-0.) ** 0.5` is -0.,
    /// as `sqrt` gives, where `pow` gives 0.), the others `pow`.
    static func powKernel(_ e: Double, _ type: DType) -> (Double) -> Double {
        guard type.isFloatingPoint, [2, 3, -2, 0.5, -0.5, -1].contains(e) else { return { Foundation.pow($0, e) } }
        if type == .float32 {
            switch e {
            case 2: return { let x = Float($0); return Double(x * x) }
            case 3: return { let x = Float($0); return Double(x * x * x) }
            case -2: return { let x = Float($0); return Double(1 / (x * x)) }
            case 0.5: return { Double(Float($0).squareRoot()) }
            case -0.5: return { Double(1 / Float($0).squareRoot()) }
            default: return { Double(1 / Float($0)) }
            }
        }
        switch e {
        case 2: return { $0 * $0 }
        case 3: return { $0 * $0 * $0 }
        case -2: return { 1 / ($0 * $0) }
        case 0.5: return { $0.squareRoot() }
        case -0.5: return { 1 / $0.squareRoot() }
        default: return { 1 / $0 }
        }
    }

    /// `tensor ** number` (PowBackward0).
    public func pow(_ exponent: Double, exponentIsInt: Bool = false) throws -> Tensor {
        if !dtype.isFloatingPoint && exponentIsInt && exponent < 0 {
            throw TorchError.runtime("Integers to negative integer powers are not allowed.")
        }
        var type = dtype
        if !type.isFloatingPoint && !exponentIsInt { type = .float32 }
        let e = type.round(exponent)  // the exponent in the tensor's dtype, as PyTorch's kernel casts it
        let out = map(dtype: type, Tensor.powKernel(e, type))
        return try Tensor.record("PowBackward0", inputs: [self], output: out, save: { node in
            node.save("self", self)
            node.savedAttributes["exponent"] = exponentIsInt ? .int(Int(exponent)) : .double(exponent)
        }) { node, grad in
            guard exponent != 0 else { return [try grad.zerosLike()] }
            let x = try node.saved("self")
            let local = try x.pow(exponent - 1, exponentIsInt: exponentIsInt).mul(scalar: exponent)
            return [try grad.mul(local)]
        }
    }

    /// `tensor ** tensor` (PowBackward1).
    public func pow(_ exponent: Tensor) throws -> Tensor {
        if exponent.isWrappedNumber { return try pow(exponent.item(), exponentIsInt: exponent.dtype == .int64) }
        var type = Tensor.resultType(self, exponent)
        if !type.isFloatingPoint && exponent.dtype.isFloatingPoint { type = .float32 }
        let out = try zip(exponent, dtype: type) { Foundation.pow($0, $1) }
        return try Tensor.record("PowBackward1", inputs: [self, exponent], output: out, save: { node in
            node.save("self", self)
            node.save("exponent", exponent)
            node.save("result", out, isOutput: true)
        }) { node, grad in
            let x = try node.saved("self"), e = try node.saved("exponent")
            var grads: [Tensor?] = [nil, nil]
            if node.needsInputGrad(0) {
                // NOTE: 0 where the exponent is 0 (`pow_backward_self`), so that
                // x ** x at x = 0 has gradient 0, not 0 * 0^-1 = NaN.
                let local = try e.mul(x.pow(e.sub(scalar: 1)))
                grads[0] = try Tensor.where(e.eq(Tensor.wrapped(grad.runtime, 0, dtype: .int64)),
                                            Tensor.zeros(grad.runtime, shape: [], dtype: grad.dtype), grad.mul(local))
            }
            if node.needsInputGrad(1) {
                // d/de x^e = x^e log x, taken as 0 where x == 0 and e >= 0.
                let result = try node.saved("result")
                let zeroBase = try x.eq(Tensor.wrapped(grad.runtime, 0, dtype: .int64))
                    .logicalAnd(e.ge(Tensor.wrapped(grad.runtime, 0, dtype: .int64)))
                let local = try Tensor.where(zeroBase, Tensor.zeros(grad.runtime, shape: [], dtype: grad.dtype),
                                             result.mul(x.log()))
                grads[1] = try grad.mul(local)
            }
            return grads
        }
    }

    /// `number ** tensor` (PowBackward2).
    public func rpow(_ base: Tensor) throws -> Tensor {
        let b = try base.item()
        var type = Tensor.resultType(self, base)
        if !type.isFloatingPoint && base.dtype.isFloatingPoint { type = .float32 }
        let out = map(dtype: type) { Foundation.pow(b, $0) }
        return try Tensor.record("PowBackward2", inputs: [self], output: out, save: { node in
            node.save("exponent", self)
            node.save("result", out, isOutput: true)
        }) { node, grad in
            let result = try node.saved("result")
            guard b == 0 else { return [try grad.mul(result.mul(scalar: Foundation.log(b)))] }
            // 0 ** e has derivative 0 for e >= 0 (PyTorch masks the 0 * -inf).
            let exponent = try node.saved("exponent")
            return [try grad.mul(Tensor.where(exponent.ge(Tensor.wrapped(grad.runtime, 0, dtype: .int64)),
                                              Tensor.zeros(grad.runtime, shape: [], dtype: grad.dtype),
                                              result.mul(scalar: Foundation.log(b))))]
        }
    }

    func zerosLike() throws -> Tensor { Tensor.zeros(runtime, shape: shape, dtype: dtype) }
}
