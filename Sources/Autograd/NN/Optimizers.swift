import Foundation

/// `torch.optim` optimizers over one parameter group. `step()` updates
/// every parameter that has a grad, in place (its version goes up by one),
/// with PyTorch's single-tensor CPU formulas in PyTorch's order of
/// operations, each rounded to the parameter's dtype (fused multiply-adds
/// where PyTorch's vectorised kernels use them).
public class Optimizer {
    public let params: [Tensor]

    init(params: [Tensor]) throws {
        guard !params.isEmpty else { throw TorchError.value("optimizer got an empty parameter list") }
        for p in params where !p.isLeaf { throw TorchError.value("can't optimize a non-leaf Tensor") }
        self.params = params
    }

    /// `zero_grad(set_to_none=True)`.
    public func zeroGrad(setToNone: Bool = true) throws { try Module.zeroGrad(params, setToNone: setToNone) }

    public func step() throws {}

    static func check(_ value: Double, _ what: String, minimum: Double = 0) throws {
        guard value >= minimum else { throw TorchError.value("Invalid \(what): \(TensorFormatter.pythonFloat(value))") }
    }
}

/// Elementwise arithmetic in one dtype, as a CPU kernel computes in it:
/// operands (Python numbers included) are cast to the dtype first, and each
/// result is rounded to it (float32 through `Float`; a fused multiply-add
/// rounds once).
struct Rounded {
    let dtype: DType
    func r(_ x: Double) -> Double { dtype.round(x) }
    func add(_ a: Double, _ b: Double) -> Double { r(r(a) + r(b)) }
    func sub(_ a: Double, _ b: Double) -> Double { r(r(a) - r(b)) }
    func mul(_ a: Double, _ b: Double) -> Double { r(r(a) * r(b)) }
    func div(_ a: Double, _ b: Double) -> Double { r(r(a) / r(b)) }
    func sqrt(_ a: Double) -> Double { r(r(a).squareRoot()) }
    /// `c + a·b` with one rounding (`vec::fmadd`).
    func fma(_ a: Double, _ b: Double, _ c: Double) -> Double {
        dtype == .float32 ? Double(fma32(Float(c), Float(a), Float(b))) : c.addingProduct(a, b)
    }
    /// `lerp(start, end, w)` as ATen's vectorised kernel: a multiply-add
    /// from the nearer end.
    func lerp(_ start: Double, _ end: Double, _ w: Double) -> Double {
        let weight = r(w), diff = sub(end, start)
        return Swift.abs(weight) < 0.5 ? fma(weight, diff, start) : fma(sub(weight, 1), diff, end)
    }
}

extension Tensor {
    /// Writes an optimizer's update, already rounded to the dtype (as
    /// `Rounded`'s results are): in place, one version bump, no history.
    func writeUpdate(_ newValues: [Double]) {
        write(newValues)
        versionCounter.bump(at: runtime.origin)
    }

    /// Writes `update(p, g[j])` over every element p, in place (row-major
    /// order), already rounded to the dtype; one version bump, no history.
    /// Inlined, so that `update` is too: it runs once per element.
    @inline(__always)
    func writeUpdate(with g: Tensor, _ update: (Double, Double) -> Double) {
        // A grad that shares the parameter's storage is read from a copy:
        // writing through one while reading the other would cascade.
        guard isContiguous && g.storage !== storage else { return writeUpdate(elementwise(values, g.values, update)) }
        precondition(g.numel == numel)
        storage.withElements { data in
            g.withRowMajorElements { gs in
                for j in 0..<gs.count { data[offset + j] = update(data[offset + j], gs[j]) }
            }
        }
        versionCounter.bump(at: runtime.origin)
    }

    /// `p += scale·g` over a contiguous float32 tensor, each element rounded
    /// once (`fma32`), in one loop the compiler vectorises. One version
    /// bump.
    func addScaledFloat32(_ g: Tensor, scale: Float) {
        precondition(dtype == .float32 && isContiguous && g.numel == numel)
        let s = Double(scale)
        storage.withElements { data in
            let p = data.baseAddress! + offset
            g.withRowMajorElements { gs in
                let g = gs.baseAddress!
                var j = 0
                while j < gs.count {
                    p[j] = Double(Float(fma32Odd(p[j], g[j], s)))
                    j &+= 1
                }
            }
        }
        versionCounter.bump(at: runtime.origin)
    }
}

/// `f(x[j], y[j])` for every j, in one tight loop over both buffers (an
/// optimizer's update of a whole weight matrix per step).
func elementwise(_ x: [Double], _ y: [Double], _ f: (Double, Double) -> Double) -> [Double] {
    precondition(x.count == y.count)
    return x.withUnsafeBufferPointer { xs in
        y.withUnsafeBufferPointer { ys in
            [Double](unsafeUninitializedCapacity: xs.count) { out, initialized in
                for j in 0..<xs.count { out[j] = f(xs[j], ys[j]) }
                initialized = xs.count
            }
        }
    }
}

/// `torch.optim.SGD(params, lr, momentum, dampening, weight_decay, nesterov,
/// maximize)`.
public final class SGD: Optimizer {
    public var lr: Double
    public let momentum: Double, dampening: Double, weightDecay: Double
    public let nesterov: Bool, maximize: Bool
    /// `state[p]["momentum_buffer"]`, by parameter position.
    private var buffers: [Int: [Double]] = [:]

    public init(params: [Tensor], lr: Double = 0.001, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false) throws {
        try Optimizer.check(lr, "learning rate")
        try Optimizer.check(momentum, "momentum value")
        try Optimizer.check(weightDecay, "weight_decay value")
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw TorchError.value("Nesterov momentum requires a momentum and zero dampening")
        }
        (self.lr, self.momentum, self.dampening, self.weightDecay) = (lr, momentum, dampening, weightDecay)
        (self.nesterov, self.maximize) = (nesterov, maximize)
        try super.init(params: params)
    }

    /// PyTorch's `_single_tensor_sgd`.
    public override func step() throws {
        for (i, param) in params.enumerated() {
            guard let gradTensor = param.grad else { continue }
            let k = Rounded(dtype: param.dtype)
            guard maximize || weightDecay != 0 || momentum != 0 else {
                // Plain SGD: p - lr·g straight from the grad's storage.
                if param.dtype == .float32 && param.isContiguous && gradTensor.storage !== param.storage {
                    param.addScaledFloat32(gradTensor, scale: Float(-lr))
                } else {
                    param.writeUpdate(with: gradTensor) { p, g in k.fma(-lr, g, p) }
                }
                continue
            }
            var g = gradTensor.values
            if maximize { g = g.map { -$0 } }
            if weightDecay != 0 { g = elementwise(g, param.values) { k.fma(weightDecay, $1, $0) } }
            if momentum != 0 {
                if let buf = buffers[i] {
                    buffers[i] = elementwise(buf, g) { k.fma(1 - dampening, $1, k.mul($0, momentum)) }
                } else {
                    buffers[i] = g
                }
                let buf = buffers[i]!
                g = nesterov ? elementwise(g, buf) { k.fma(momentum, $1, $0) } : buf
            }
            param.writeUpdate(elementwise(param.values, g) { k.fma(-lr, $1, $0) })
        }
    }
}

/// `torch.optim.Adam(params, lr, betas, eps, weight_decay, amsgrad,
/// maximize)`, and AdamW (`decoupledWeightDecay`).
public final class Adam: Optimizer {
    public var lr: Double
    public let beta1: Double, beta2: Double, eps: Double, weightDecay: Double
    public let amsgrad: Bool, maximize: Bool, decoupledWeightDecay: Bool
    private var steps: [Int: Double] = [:]
    private var expAvg: [Int: [Double]] = [:], expAvgSq: [Int: [Double]] = [:], maxExpAvgSq: [Int: [Double]] = [:]

    public init(params: [Tensor], lr: Double = 0.001, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false,
                decoupledWeightDecay: Bool = false) throws {
        try Optimizer.check(lr, "learning rate")
        try Optimizer.check(eps, "epsilon value")
        for (k, beta) in [betas.0, betas.1].enumerated() where !(beta >= 0 && beta < 1) {
            throw TorchError.value("Invalid beta parameter at index \(k): \(TensorFormatter.pythonFloat(beta))")
        }
        try Optimizer.check(weightDecay, "weight_decay value")
        (self.lr, self.beta1, self.beta2, self.eps, self.weightDecay) = (lr, betas.0, betas.1, eps, weightDecay)
        (self.amsgrad, self.maximize, self.decoupledWeightDecay) = (amsgrad, maximize, decoupledWeightDecay)
        try super.init(params: params)
    }

    /// PyTorch's `_single_tensor_adam` (neither capturable nor
    /// differentiable): the bias corrections in double, the rest in the
    /// parameter's dtype.
    public override func step() throws {
        for (i, param) in params.enumerated() {
            guard let gradTensor = param.grad else { continue }
            let k = Rounded(dtype: param.dtype)
            var p = param.values
            var g = gradTensor.values.map { maximize ? -$0 : $0 }
            let step = (steps[i] ?? 0) + 1
            steps[i] = step
            if weightDecay != 0 {
                if decoupledWeightDecay {
                    // `param.mul_(1 - lr * weight_decay)`: its own in-place op, one version.
                    p = p.map { k.mul($0, 1 - lr * weightDecay) }
                    param.versionCounter.bump(at: param.runtime.origin)
                } else {
                    g = zip(g, p).map { k.fma(weightDecay, $1, $0) }
                }
            }
            let m = zip(expAvg[i] ?? Array(repeating: 0, count: g.count), g).map { k.lerp($0, $1, 1 - beta1) }
            let v = zip(expAvgSq[i] ?? Array(repeating: 0, count: g.count), g).map { old, g in
                k.add(k.mul(old, beta2), k.mul(k.mul(1 - beta2, g), g))
            }
            (expAvg[i], expAvgSq[i]) = (m, v)
            let biasCorrection1 = 1 - Foundation.pow(beta1, step)
            let biasCorrection2 = 1 - Foundation.pow(beta2, step)
            let stepSize = lr / biasCorrection1
            let biasCorrection2Sqrt = Foundation.pow(biasCorrection2, 0.5)
            var second = v
            if amsgrad {
                second = zip(maxExpAvgSq[i] ?? Array(repeating: 0, count: v.count), v).map { Swift.max($0, $1) }
                maxExpAvgSq[i] = second
            }
            let denom = second.map { k.add(k.div(k.sqrt($0), biasCorrection2Sqrt), eps) }
            param.writeUpdate((0..<p.count).map { j in k.add(p[j], k.div(k.mul(-stepSize, m[j]), denom[j])) })
        }
    }
}
