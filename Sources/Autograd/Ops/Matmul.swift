/// `matmul`'s dispatch to `mm`, `mv`, `dot` and `bmm` with PyTorch's graph
/// shapes; the products themselves are `Tensor.gemm` (BLAS.swift).
extension Tensor {
    /// PyTorch's message for operands of two dtypes, which each kernel words its own way.
    private func checkSameDType(_ other: Tensor, _ op: String) throws {
        guard dtype != other.dtype else { return }
        let (a, b) = (dtype.scalarTypeName, other.dtype.scalarTypeName)
        switch op {
        case "mv": throw TorchError.runtime("addmv input tensors must have the same dtype, but got \(b), \(a), and \(b)")
        case "dot": throw TorchError.runtime("dot : expected both vectors to have same dtype, but found \(a) and \(b)")
        case "bmm": throw TorchError.runtime("expected scalar type \(a) but found \(b)")
        default: throw TorchError.runtime("expected m1 and m2 to have the same dtype, but got: \(dtype.cName) != \(other.dtype.cName)")
        }
    }

    /// `torch.mm` (MmBackward0).
    public func mm(_ other: Tensor) throws -> Tensor {
        guard rank == 2 else { throw TorchError.runtime("mm: self must be a matrix, got \(rank)-D tensor") }
        guard other.rank == 2 else { throw TorchError.runtime("mm: mat2 must be a matrix, got \(other.rank)-D tensor") }
        guard shape[1] == other.shape[0] else {
            throw TorchError.runtime("mm: mat1 and mat2 shapes cannot be multiplied (\(shape[0])x\(shape[1]) and \(other.shape[0])x\(other.shape[1]))")
        }
        try checkSameDType(other, "mm")
        let out = make(Tensor.gemm(BLASMatrix(self), BLASMatrix(other), dtype: dtype), [shape[0], other.shape[1]], dtype)
        return try Tensor.record("MmBackward0", inputs: [self, other], output: out, save: { node in
            node.savedAttributes["self_sym_sizes"] = .ints(shape)
            node.savedAttributes["self_sym_strides"] = .ints(strides)
            node.savedAttributes["mat2_sym_sizes"] = .ints(other.shape)
            node.savedAttributes["mat2_sym_strides"] = .ints(other.strides)
            if node.needsInputGrad(1) { node.save("self", self) }
            if node.needsInputGrad(0) { node.save("mat2", other) }
        }) { [shape, strides, otherShape = other.shape, otherStrides = other.strides] node, grad in
            [node.needsInputGrad(0)
                ? try Tensor.mmMat1Backward(grad, node.saved("mat2"), columnMajor: Tensor.isColumnMajor(shape, strides)) : nil,
             node.needsInputGrad(1)
                ? try Tensor.mmMat2Backward(grad, node.saved("self"), columnMajor: Tensor.isColumnMajor(otherShape, otherStrides)) : nil]
        }
    }

    /// Whether a matrix is laid out column by column (`w.t()` of a
    /// contiguous `w`): PyTorch's test in `mm_mat1_backward`.
    static func isColumnMajor(_ shape: [Int], _ strides: [Int]) -> Bool {
        shape.count == 2 && strides[0] == 1 && strides[1] == shape[0]
    }

    /// The gradient of `mat1` in `mat1 @ mat2`: `grad @ mat2.T`, or for a
    /// column-major `mat1`, `(mat2 @ grad.T).T`, so that it comes out in
    /// mat1's layout (PyTorch's `mm_mat1_backward`).
    static func mmMat1Backward(_ grad: Tensor, _ mat2: Tensor, columnMajor: Bool) throws -> Tensor {
        columnMajor ? try mat2.mm(grad.t()).t() : try grad.mm(mat2.t())
    }

    /// The gradient of `mat2` in `mat1 @ mat2`: `mat1.T @ grad`, or for a
    /// column-major `mat2` (the `w.t()` of `linear`), `(grad.T @ mat1).T`,
    /// which the leaf's AccumulateGrad then gets contiguous (PyTorch's
    /// `mm_mat2_backward`).
    static func mmMat2Backward(_ grad: Tensor, _ mat1: Tensor, columnMajor: Bool) throws -> Tensor {
        columnMajor ? try grad.t().mm(mat1).t() : try mat1.t().mm(grad)
    }

    /// `torch.mv` (MvBackward0).
    public func mv(_ vec: Tensor) throws -> Tensor {
        guard rank == 2, vec.rank == 1 else { throw TorchError.runtime("vector + matrix @ vector expected, got 1, \(rank), \(vec.rank)") }
        guard shape[1] == vec.shape[0] else {
            throw TorchError.runtime("size mismatch, got input (\(shape[0])), mat (\(shape[0])x\(shape[1])), vec (\(vec.shape[0]))")
        }
        try checkSameDType(vec, "mv")
        let out = make(Tensor.gemm(values, vec.values, m: shape[0], k: shape[1], n: 1, dtype: dtype), [shape[0]], dtype)
        return try Tensor.record("MvBackward0", inputs: [self, vec], output: out, save: { node in
            if node.needsInputGrad(1) { node.save("self", self) }
            if node.needsInputGrad(0) { node.save("vec", vec) }
        }) { node, grad in
            // `grad.ger(vec)`: ger is `grad.reshape({n, 1}) * vec` (ViewBackward0).
            [node.needsInputGrad(0) ? try grad.reshape([grad.shape[0], 1]).mul(node.saved("vec")) : nil,
             node.needsInputGrad(1) ? try node.saved("self").t().mv(grad) : nil]
        }
    }

    /// `torch.dot` (DotBackward0).
    public func dot(_ other: Tensor) throws -> Tensor {
        guard rank == 1, other.rank == 1 else {
            throw TorchError.runtime("1D tensors expected, but got \(rank)D and \(other.rank)D tensors")
        }
        guard shape == other.shape else {
            throw TorchError.runtime("inconsistent tensor size, expected tensor [\(shape[0])] and src [\(other.shape[0])] to have the same number of elements, but got \(shape[0]) and \(other.shape[0]) elements respectively")
        }
        try checkSameDType(other, "dot")
        let out = zeroTensorResult(make(Tensor.gemm(values, other.values, m: 1, k: shape[0], n: 1, dtype: dtype), [], dtype),
                                   if: isZeroTensor || other.isZeroTensor)
        return try Tensor.record("DotBackward0", inputs: [self, other], output: out, save: { node in
            if node.needsInputGrad(1) { node.save("self", self) }
            if node.needsInputGrad(0) { node.save("tensor", other) }
        }) { node, grad in
            [node.needsInputGrad(0) ? try grad.mul(node.saved("tensor")) : nil,
             node.needsInputGrad(1) ? try grad.mul(node.saved("self")) : nil]
        }
    }

    /// `torch.bmm` (BmmBackward0): batches of matrices, one gemm each.
    public func bmm(_ other: Tensor) throws -> Tensor {
        guard rank == 3 else { throw TorchError.runtime("batch1 must be a 3D tensor") }
        guard other.rank == 3 else { throw TorchError.runtime("batch2 must be a 3D tensor") }
        guard shape[0] == other.shape[0], shape[2] == other.shape[1] else {
            throw TorchError.runtime("Expected size for first two dimensions of batch2 tensor to be: [\(shape[0]), \(shape[2])] but got: [\(other.shape[0]), \(other.shape[1])].")
        }
        try checkSameDType(other, "bmm")
        let (b, m, k, n) = (shape[0], shape[1], shape[2], other.shape[2])
        let av = values, bv = other.values
        var out = [Double]()
        out.reserveCapacity(b * m * n)
        for i in 0..<b {
            out += Tensor.gemm(Array(av[(i * m * k)..<((i + 1) * m * k)]), Array(bv[(i * k * n)..<((i + 1) * k * n)]),
                               m: m, k: k, n: n, dtype: dtype)
        }
        let result = make(out, [b, m, n], dtype)
        return try Tensor.record("BmmBackward0", inputs: [self, other], output: result, save: { node in
            if node.needsInputGrad(1) { node.save("self", self) }
            if node.needsInputGrad(0) { node.save("mat2", other) }
        }) { node, grad in
            [node.needsInputGrad(0) ? try grad.bmm(node.saved("mat2").transpose(1, 2)) : nil,
             node.needsInputGrad(1) ? try node.saved("self").transpose(1, 2).bmm(grad) : nil]
        }
    }

    /// `torch.matmul` / `@`, dispatched as PyTorch does so the graph matches:
    /// 1-D·1-D → dot, 2-D·1-D → mv, 1-D·2-D → unsqueeze, mm, squeeze,
    /// 2-D·2-D → mm; with a batched side, either fold the batch into the
    /// rows of one matrix (mm or mv, then an unsafe view) or expand both
    /// sides to a common batch, reshape, bmm, unsafe view.
    public func matmul(_ other: Tensor) throws -> Tensor {
        switch (rank, other.rank) {
        case (0, _), (_, 0):
            throw TorchError.runtime("both arguments to matmul need to be at least 1D, but they are \(rank)D and \(other.rank)D")
        case (1, 1): return try dot(other)
        case (2, 1): return try mv(other)
        case (1, 2):
            let out = try unsqueeze(0).mm(other)
            return try out.squeezeRecorded(0, name: "SqueezeBackward4")
        case (2, 2): return try mm(other)
        default:
            return Tensor.shouldFold(self, other) ? try foldedMatmul(other) : try batchedMatmul(other)
        }
    }

    /// PyTorch's `should_fold`: fold when one side has >= 3 dimensions and
    /// the other <= 2, and either the small side requires grad or the big
    /// one folds into a matrix without a copy.
    private static func shouldFold(_ a: Tensor, _ b: Tensor) -> Bool {
        let aLarger = a.rank >= b.rank
        var shape = aLarger ? a.shape : b.shape, strides = aLarger ? a.strides : b.strides
        if !aLarger {  // the larger side is used as its .mT
            shape.swapAt(shape.count - 1, shape.count - 2)
            strides.swapAt(strides.count - 1, strides.count - 2)
        }
        let smallRank = aLarger ? b.rank : a.rank
        guard shape.count >= 3 && smallRank <= 2 else { return false }
        if (aLarger ? b : a).requiresGrad { return true }
        if a.rank == 2 { return false }
        if Shape.numel(shape) == 0 { return true }
        for i in 0..<(shape.count - 2) where strides[i] != strides[i + 1] * shape[i + 1] { return false }
        return true
    }

    /// The folded path: `t1.reshape(-1, k).mm(t2)` (or `.mv`), viewed back;
    /// a batched right side is handled as the transpose of the product.
    private func foldedMatmul(_ other: Tensor) throws -> Tensor {
        let transpose = other.rank > rank
        let t1 = transpose ? try other.transpose(-2, -1) : self
        let t2 = !transpose ? other : (rank == 2 ? try t() : self)
        var outShape = Array(t1.shape.dropLast())
        let folded = Shape.numel(outShape)
        let t1Folded = try t1.reshape([folded, t1.shape[t1.rank - 1]])
        guard t2.rank == 2 else { return try t1Folded.mv(t2).unsafeView(outShape) }
        outShape.append(t2.shape[1])
        let output = try t1Folded.mm(t2).unsafeView(outShape)
        return transpose ? try output.transpose(-2, -1).contiguous() : output
    }

    /// The batched path: both sides expanded to the broadcast batch and
    /// flattened to 3-D for bmm (a 1-D side is expanded, not unsqueezed).
    private func batchedMatmul(_ other: Tensor) throws -> Tensor {
        let n = rank > 1 ? shape[rank - 2] : 1, m1 = shape[rank - 1]
        let m2 = other.rank > 1 ? other.shape[other.rank - 2] : other.shape[0]
        let p = other.rank > 1 ? other.shape[other.rank - 1] : 1
        let batch = try Shape.broadcast(Array(shape.dropLast(2)), Array(other.shape.dropLast(2)))
        let count = Shape.numel(batch)
        let a3 = try expand(batch + [n, m1]).reshape([count, n, m1])
        let vectorRHS = other.rank == 1
        let b3 = vectorRHS
            ? try other.expand(batch + [m2]).reshape([count, m2]).unsqueeze(2)
            : try other.expand(batch + [m2, p]).reshape([count, m2, p])
        var outShape = batch
        if rank > 1 { outShape.append(n) }
        if other.rank > 1 { outShape.append(p) }
        let product = try a3.bmm(b3)
        return try (vectorRHS ? product.squeeze(-1) : product).unsafeView(outShape)
    }

    /// `_unsafe_view`: a reshape PyTorch records as UnsafeViewBackward0.
    func unsafeView(_ newShape: [Int]) throws -> Tensor {
        let out = Tensor(runtime: runtime, storage: storage, shape: newShape, strides: Shape.contiguousStrides(newShape),
                         offset: offset, dtype: dtype, versionCounter: versionCounter)
        return try Tensor.record("UnsafeViewBackward0", inputs: [self], output: out) { [shape] _, grad in
            [try grad.reshape(shape)]
        }
    }

    /// `squeeze(dim)` under another node name (matmul's in-place `squeeze_`,
    /// which bumps the version of the product it squeezes).
    func squeezeRecorded(_ dim: Int, name: String) throws -> Tensor {
        var newShape = shape, newStrides = strides
        newShape.remove(at: dim)
        newStrides.remove(at: dim)
        // The product itself, reshaped in place: not a view of it.
        let out = Tensor(runtime: runtime, storage: storage, shape: newShape, strides: newStrides, offset: offset,
                         dtype: dtype, versionCounter: versionCounter, base: base)
        out.versionCounter.bump(at: out.runtime.origin)
        return try Tensor.record(name, inputs: [self], output: out) { _, grad in [try grad.unsqueeze(dim)] }
    }
}

extension DType {
    /// The C++ scalar type name PyTorch's dtype messages use (`long int`).
    public var cTypeName: String { cName }

    var cName: String {
        switch self {
        case .float32: return "float"
        case .float64: return "double"
        case .int64: return "long int"
        case .bool: return "bool"
        }
    }
}
