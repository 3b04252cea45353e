/// `torch.addmm` and `F.linear`, with the graph shapes PyTorch's `linear`
/// builds: one AddmmBackward0 for a 2-D input, a flattened addmm viewed back
/// (UnsafeViewBackward0) for a 1-D or contiguous n-D input, and a matmul
/// with an in-place bias add for the rest.
extension Tensor {
    /// `torch.addmm(input, mat1, mat2)` = `input + mat1 @ mat2`
    /// (AddmmBackward0, edges in PyTorch's order: input, mat1, mat2).
    public static func addmm(_ input: Tensor, _ mat1: Tensor, _ mat2: Tensor) throws -> Tensor {
        guard mat1.rank == 2 else { throw TorchError.runtime("mat1 must be a matrix, got \(mat1.rank)-D tensor") }
        guard mat2.rank == 2 else { throw TorchError.runtime("mat2 must be a matrix, got \(mat2.rank)-D tensor") }
        guard mat1.shape[1] == mat2.shape[0] else {
            throw TorchError.runtime("addmm: mat1 and mat2 shapes cannot be multiplied (\(mat1.shape[0])x\(mat1.shape[1]) and \(mat2.shape[0])x\(mat2.shape[1]))")
        }
        guard input.dtype == mat2.dtype else {
            throw TorchError.runtime("self and mat2 must have the same dtype, but got \(input.dtype.scalarTypeName) and \(mat2.dtype.scalarTypeName)")
        }
        guard mat1.dtype == mat2.dtype else {
            throw TorchError.runtime("mat1 and mat2 must have the same dtype, but got \(mat1.dtype.scalarTypeName) and \(mat2.dtype.scalarTypeName)")
        }
        let (m, n) = (mat1.shape[0], mat2.shape[1])
        // expand() raises PyTorch's message for a bias of the wrong size.
        let broadcast = try input.runtime.withGradMode(false) { try input.expand([m, n]) }
        // One sgemm/dgemm with beta 1, as PyTorch's addmm calls BLAS.
        let product = gemm(BLASMatrix(mat1), BLASMatrix(mat2), adding: broadcast.values, dtype: mat1.dtype)
        let out = mat1.make(product, [m, n], mat1.dtype)
        return try record("AddmmBackward0", inputs: [input, mat1, mat2], output: out, save: { node in
            node.savedAttributes["alpha"] = .int(1)
            node.savedAttributes["beta"] = .int(1)
            node.savedAttributes["mat1_sym_sizes"] = .ints(mat1.shape)
            node.savedAttributes["mat1_sym_strides"] = .ints(node.needsInputGrad(2) ? mat1.strides : [])
            node.savedAttributes["mat2_sym_sizes"] = .ints(mat2.shape)
            node.savedAttributes["mat2_sym_strides"] = .ints(node.needsInputGrad(1) ? mat2.strides : [])
            if node.needsInputGrad(2) { node.save("mat1", mat1) } else { node.savedAttributes["mat1"] = SavedAttribute.none }
            if node.needsInputGrad(1) { node.save("mat2", mat2) } else { node.savedAttributes["mat2"] = SavedAttribute.none }
        }) { [mat1Column = isColumnMajor(mat1.shape, mat1.strides), mat2Column = isColumnMajor(mat2.shape, mat2.strides)] node, grad in
            // The input's gradient is summed back to its (broadcast) shape by
            // the engine, as PyTorch's validate_outputs does.
            [node.needsInputGrad(0) ? grad : nil,
             node.needsInputGrad(1) ? try mmMat1Backward(grad, node.saved("mat2"), columnMajor: mat1Column) : nil,
             node.needsInputGrad(2) ? try mmMat2Backward(grad, node.saved("mat1"), columnMajor: mat2Column) : nil]
        }
    }

    /// `F.linear(input, weight, bias)`: `input @ weight.T + bias`, dispatched
    /// as ATen's `linear` does so that the graph is PyTorch's.
    public static func linear(_ input: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        guard input.rank >= 1, weight.rank >= 1 else {
            throw TorchError.runtime("both arguments to linear need to be at least 1D, but they are \(input.rank)D and \(weight.rank)D")
        }
        guard let bias else { return try input.matmul(weight.t()) }
        if input.rank == 2 { return try addmm(bias, input, weight.t()) }
        if input.isContiguous && bias.rank == 1 {
            // `_flatten_nd_linear`: rows of the input through one addmm.
            let rows = input.shape.dropLast().reduce(1, *)
            let flat = try input.reshape([rows, input.shape[input.rank - 1]])
            let product = try addmm(bias, flat, weight.t())
            return try product.unsafeView(Array(input.shape.dropLast()) + [product.shape[1]])
        }
        let output = try input.matmul(weight.t())
        try output.addInPlace(bias)
        return output
    }
}
