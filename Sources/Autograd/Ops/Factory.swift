import Foundation

/// Tensor construction: `torch.tensor`, `zeros`, `ones`, `full`, `arange`,
/// `linspace`, `eye`, the `_like` forms, and the random ones.
extension Tensor {
    /// A Python number as an op sees it (`a * 2`): a 0-d wrapped tensor,
    /// float64 for floats, int64 for ints, bool for bools.
    public static func wrapped(_ runtime: Runtime, _ value: Double, dtype: DType) -> Tensor {
        Tensor(runtime: runtime, storage: Storage.make(count: 1) { $0[0] = dtype.round(value) }, shape: [], strides: [], offset: 0,
               dtype: dtype, isWrappedNumber: true)
    }

    public static func full(_ runtime: Runtime, value: Double, shape: [Int], dtype: DType = .float32) -> Tensor {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative size; callers check with validated(shape:)")
        return Tensor(runtime: runtime, values: [Double](repeating: dtype.round(value), count: Shape.numel(shape)),
               shape: shape, dtype: dtype)
    }

    public static func zeros(_ runtime: Runtime, shape: [Int], dtype: DType = .float32) -> Tensor {
        full(runtime, value: 0, shape: shape, dtype: dtype)
    }

    /// `torch.tensor(data)` from already-flattened values.
    public static func from(_ runtime: Runtime, values: [Double], shape: [Int], dtype: DType,
                            requiresGrad: Bool = false) throws -> Tensor {
        let t = Tensor(runtime: runtime, values: values.map(dtype.round), shape: shape, dtype: dtype)
        if requiresGrad {
            guard dtype.isFloatingPoint else {
                throw TorchError.runtime("Only Tensors of floating point and complex dtype can require gradients")
            }
            t.leafRequiresGrad = true
        }
        return t
    }

    public static func arange(_ runtime: Runtime, start: Double, end: Double, step: Double, dtype: DType) throws -> Tensor {
        guard step != 0 else { throw TorchError.runtime("step must be nonzero") }
        guard (step > 0 && end >= start) || (step < 0 && end <= start) else {
            throw TorchError.runtime("upper bound and larger bound inconsistent with step sign")
        }
        let exact = ((end - start) / step).rounded(.up)
        guard exact.isFinite, exact <= Double(Shape.maxElements) else {
            throw TorchError.runtime("invalid size, possible overflow?")
        }
        let count = Int(exact)
        return Tensor(runtime: runtime, values: (0..<count).map { dtype.round(start + Double($0) * step) },
                      shape: [count], dtype: dtype)
    }

    public static func linspace(_ runtime: Runtime, start: Double, end: Double, steps: Int, dtype: DType) throws -> Tensor {
        guard steps >= 0 else { throw TorchError.runtime("number of steps must be non-negative") }
        try Shape.checkElementCount([steps])
        let step = steps > 1 ? (end - start) / Double(steps - 1) : 0
        // PyTorch fills the second half from the end so the last value is exact.
        let values = (0..<steps).map { i -> Double in
            i < steps / 2 ? start + step * Double(i) : end - step * Double(steps - 1 - i)
        }
        return Tensor(runtime: runtime, values: values.map(dtype.round), shape: [steps], dtype: dtype)
    }

    public static func eye(_ runtime: Runtime, n: Int, m: Int? = nil, dtype: DType) throws -> Tensor {
        guard n >= 0 else { throw TorchError.runtime("n must be greater or equal to 0, got \(n)") }
        let cols = m ?? n
        guard cols >= 0 else { throw TorchError.runtime("m must be greater or equal to 0, got \(cols)") }
        try Shape.checkElementCount([n, cols])
        var values = [Double](repeating: 0, count: n * cols)
        for i in 0..<Swift.min(n, cols) { values[i * cols + i] = 1 }
        return Tensor(runtime: runtime, values: values, shape: [n, cols], dtype: dtype)
    }

    /// `shape`, once checked as a factory's size argument.
    public static func validated(shape: [Int]) throws -> [Int] {
        try Shape.checkNonNegative(shape)
        return shape
    }

    /// `torch.rand`: uniform draws, row-major, rounded to the dtype.
    public static func rand(_ runtime: Runtime, shape: [Int], dtype: DType = .float32) -> Tensor {
        let values = (0..<Shape.numel(shape)).map { _ in dtype.round(runtime.generator.uniform()) }
        return Tensor(runtime: runtime, values: values, shape: shape, dtype: dtype)
    }

    /// `torch.randn`: one Box–Muller value per two uniforms, row-major.
    public static func randn(_ runtime: Runtime, shape: [Int], dtype: DType = .float32) -> Tensor {
        let values = (0..<Shape.numel(shape)).map { _ in dtype.round(runtime.generator.normal()) }
        return Tensor(runtime: runtime, values: values, shape: shape, dtype: dtype)
    }

    /// `torch.randint(low, high, size)`: `low + floor(uniform() * (high - low))`.
    public static func randint(_ runtime: Runtime, low: Int, high: Int, shape: [Int], dtype: DType = .int64) throws -> Tensor {
        guard high > low else {
            throw TorchError.runtime("random_ expects 'from' to be less than 'to', but got from=\(low) >= to=\(high)")
        }
        let span = Double(high - low)
        let values = (0..<Shape.numel(shape)).map { _ in
            dtype.round(Double(low) + Foundation.floor(runtime.generator.uniform() * span))
        }
        return Tensor(runtime: runtime, values: values, shape: shape, dtype: dtype)
    }

    /// `requires_grad_()`, with PyTorch's checks.
    public func setRequiresGrad(_ flag: Bool, viaMethod: Bool = true) throws {
        guard isLeaf else {
            if flag { return }
            throw TorchError.runtime("you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().")
        }
        if flag && !dtype.isFloatingPoint {
            throw TorchError.runtime(viaMethod
                ? "only Tensors of floating point dtype can require gradients"
                : "only Tensors of floating point and complex dtype can require gradients")
        }
        leafRequiresGrad = flag
    }
}
