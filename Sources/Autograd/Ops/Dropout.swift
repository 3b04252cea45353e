/// Dropout as PyTorch's CPU `_dropout_impl` computes it, with the random
/// mask drawn from the runtime's generator so runs are reproducible.
extension Tensor {
    /// `F.dropout(input, p, training)`. In eval mode, with `p == 0` or an
    /// empty input it is the input itself (no node, nothing drawn); with
    /// `p == 1` the input times a 0-d zero. Otherwise one `uniform()` per
    /// element, row-major: kept when `uniform() >= p`, and the result is
    /// `input * noise` with `noise = keep / (1 - p)` in the input's dtype,
    /// so the node is MulBackward0 saving `other` (the noise), as in PyTorch.
    public func dropout(p: Double, training: Bool, inPlace: Bool = false) throws -> Tensor {
        guard p >= 0 && p <= 1 else {
            throw TorchError.value("dropout probability has to be between 0 and 1, but got \(TensorFormatter.pythonFloat(p))")
        }
        if p == 0 || !training || numel == 0 { return self }
        let noise: Tensor
        if p == 1 {
            noise = Tensor.zeros(runtime, shape: [], dtype: dtype)
        } else {
            let type: DType = dtype.isFloatingPoint ? dtype : .float32
            // `keep.div_(1 - p)`: both rounded to the dtype, then divided.
            let scale = type.round(1 / type.round(1 - p))
            let keep = (0..<numel).map { _ in runtime.generator.uniform() >= p ? scale : 0 }
            noise = make(keep, shape, type)
        }
        if inPlace {
            try mulInPlace(noise)
            return self
        }
        return try mul(noise)
    }
}
