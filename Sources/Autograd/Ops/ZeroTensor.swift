/// Note [ZeroTensor]: a few of PyTorch's gradient formulas return an
/// "efficient" zero (`at::_efficientzerotensor`) rather than `zeros_like`:
/// among the ops here, sgn's of a real tensor, hence the double backward of
/// `abs`. Such a tensor prints and computes as zeros, but
/// - it is immutable: every in-place op on it, the in-place accumulation of
///   a later backward into a `.grad` that is one included, raises
///   PyTorch's "ZeroTensors are immutable" error;
/// - `tolist()` refuses it (its storage is not allocated in PyTorch);
/// - a product with it (`mul`, `dot`) or a quotient of it (`div`) is a
///   ZeroTensor again, zero even where the other factor is inf or NaN; a sum
///   (`add`, `sub`) is one when both terms are; views and `detach()` share
///   it; every other op (`neg`, `clone`, `sum`, `mm`, a dtype conversion)
///   gives ordinary zeros, as ATen's ZeroTensor fallback materialises them.
/// Measured on PyTorch 2.15 (fixtures/language/zerotensor-immutable-grad.py).
/// Backward formulas written as raw loops rather than through these ops give
/// ordinary zeros where PyTorch might keep a ZeroTensor; only formulas fed
/// by sgn's gradient can tell, and `abs`'s feeds a leaf directly.
extension Tensor {
    /// Whether this tensor is (a view of) a ZeroTensor.
    public var isZeroTensor: Bool { storage.isZeroTensor }

    /// `at::_efficientzerotensor(shape, dtype)`.
    static func efficientZeros(_ runtime: Runtime, shape: [Int], dtype: DType) -> Tensor {
        let t = Tensor.zeros(runtime, shape: shape, dtype: dtype)
        t.storage.isZeroTensor = true
        return t
    }

    /// `out` as the ZeroTensor a product or quotient gives when `zero` (one
    /// of its factors, or its dividend) is one: the same shape and dtype,
    /// all zeros.
    func zeroTensorResult(_ out: Tensor, if zero: Bool) -> Tensor {
        zero ? Tensor.efficientZeros(runtime, shape: out.shape, dtype: out.dtype) : out
    }

    /// Refuses a write into a ZeroTensor, as ATen's ZeroTensor kernels do.
    func checkNotZeroTensor() throws {
        guard isZeroTensor else { return }
        throw runtime.raise("ZeroTensors are immutable. Please use the materialized zero tensor obtained using .clone() if you want a mutable tensor.",
                            .zeroTensorWrite(tensor: self))
    }
}
