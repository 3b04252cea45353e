import CBLAS

/// A matrix operand as BLAS reads it: a storage buffer, where the matrix
/// starts in it, whether it is stored transposed, and its leading dimension.
/// Row-major views (a contiguous matrix, a row slice) and transposed ones
/// (`w.t()`, which `linear` and every `mm` backward pass) go to BLAS as
/// they are; any other layout is gathered into a row-major copy first.
struct BLASMatrix {
    /// Where the elements are: the tensor's own storage, read in place, or
    /// a row-major copy.
    let data: Storage
    let offset: Int
    let rows: Int, cols: Int
    /// Stored column by column (the transpose of a row-major matrix).
    let transposed: Bool
    let leadingDimension: Int

    /// `t` must be 2-D.
    init(_ t: Tensor) {
        let (r, c) = (t.shape[0], t.shape[1])
        let (s0, s1) = (t.strides[0], t.strides[1])
        rows = r
        cols = c
        if (c <= 1 || s1 == 1) && (r <= 1 || s0 >= Swift.max(c, 1)) {
            (data, offset, transposed, leadingDimension) = (t.storage, t.offset, false, r <= 1 ? Swift.max(c, 1) : s0)
        } else if (r <= 1 || s0 == 1) && (c <= 1 || s1 >= Swift.max(r, 1)) {
            (data, offset, transposed, leadingDimension) = (t.storage, t.offset, true, c <= 1 ? Swift.max(r, 1) : s1)
        } else {
            (data, offset, transposed, leadingDimension) = (Storage.of(t.values), 0, false, Swift.max(c, 1))
        }
    }

    /// Row-major elements of a `rows`×`cols` matrix.
    init(rowMajor values: [Double], rows: Int, cols: Int) {
        (data, offset, self.rows, self.cols, transposed, leadingDimension) = (Storage.of(values), 0, rows, cols, false, Swift.max(cols, 1))
    }

    /// How many storage elements from `offset` the matrix spans.
    var span: Int {
        let (outer, inner) = transposed ? (cols, rows) : (rows, cols)
        return outer == 0 || inner == 0 ? 0 : (outer - 1) * leadingDimension + inner
    }

    var cblasTranspose: CBLAS_TRANSPOSE { transposed ? CblasTrans : CblasNoTrans }

    /// The spanned elements as float32 (the values already are float32
    /// numbers, so the conversion is exact).
    func floats() -> [Float] {
        let count = span
        return data.withElements { source in
            [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                convert(source.baseAddress! + offset, to: buffer.baseAddress!, count: count)
                initialized = count
            }
        }
    }

    /// How far apart consecutive rows and columns lie in the storage.
    var steps: (row: Int, column: Int) { transposed ? (1, leadingDimension) : (leadingDimension, 1) }
}

/// float32 values held as Double to float32 (exact), and back: loops over
/// raw pointers with no overflow checks, which the compiler vectorises
/// (indexing a buffer at `offset + i` kept it from doing so: ~9
/// instructions an element, 13% of mlp-train's).
@inline(__always)
private func convert(_ source: UnsafePointer<Double>, to target: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i < count {
        target[i] = Float(source[i])
        i &+= 1
    }
}

@inline(__always)
private func convert(_ source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Double>, count: Int) {
    var i = 0
    while i < count {
        target[i] = Double(source[i])
        i &+= 1
    }
}

extension Tensor {
    /// `C = A·B (+ C)`: A is m×k, B k×n, `adding` (row-major m×n) is C.
    /// float32 goes through `cblas_sgemm`, so results round as PyTorch's do,
    /// float64 through `cblas_dgemm` straight from the storage, at every
    /// size (a loop of fused multiply-adds was faster for rnn-unrolled's
    /// 20×20 products but rounded differently from this machine's sgemm
    /// kernels, so a result depended on the size of the matrix around it);
    /// integer types run in `directProduct`.
    static func gemm(_ a: BLASMatrix, _ b: BLASMatrix, adding c: [Double]? = nil, dtype: DType) -> Storage {
        let (m, k, n) = (a.rows, a.cols, b.cols)
        guard m > 0, n > 0 else { return Storage.of([]) }
        guard k > 0 else { return Storage.of(c ?? [Double](repeating: 0, count: m * n)) }
        let beta = c == nil ? 0.0 : 1.0
        switch dtype {
        case .float32:
            // With beta 0 BLAS writes C without reading it: no zeros first.
            var out = [Float](unsafeUninitializedCapacity: m * n) { buffer, initialized in
                if let c { c.withUnsafeBufferPointer { convert($0.baseAddress!, to: buffer.baseAddress!, count: m * n) } }
                initialized = m * n
            }
            cblas_sgemm(CblasRowMajor, a.cblasTranspose, b.cblasTranspose, Int32(m), Int32(n), Int32(k),
                        1, a.floats(), Int32(a.leadingDimension), b.floats(), Int32(b.leadingDimension),
                        Float(beta), &out, Int32(n))
            return out.withUnsafeBufferPointer { result in
                Storage.make(count: result.count) { convert(result.baseAddress!, to: $0.baseAddress!, count: result.count) }
            }
        case .float64:
            let out = Storage.of(c ?? [Double](repeating: 0, count: m * n))
            a.data.withElements { pa in
                b.data.withElements { pb in
                    out.withElements { pc in
                        cblas_dgemm(CblasRowMajor, a.cblasTranspose, b.cblasTranspose, Int32(m), Int32(n), Int32(k),
                                    1, pa.baseAddress! + a.offset, Int32(a.leadingDimension),
                                    pb.baseAddress! + b.offset, Int32(b.leadingDimension), beta, pc.baseAddress!, Int32(n))
                    }
                }
            }
            return out
        case .int64, .bool:
            return directProduct(a, b, adding: c, dtype: dtype)
        }
    }

    /// `A·B (+ C)` for integer types in a plain loop, summed exactly in Double.
    static func directProduct(_ a: BLASMatrix, _ b: BLASMatrix, adding c: [Double]?, dtype: DType) -> Storage {
        let (m, k, n) = (a.rows, a.cols, b.cols)
        let (aRow, aColumn) = a.steps, (bRow, bColumn) = b.steps
        return a.data.withElements { pa in
            b.data.withElements { pb in
                Storage.make(count: m * n) { out in
                    for i in 0..<m {
                        for j in 0..<n {
                            var sum = c?[i * n + j] ?? 0
                            var ia = a.offset + i * aRow, ib = b.offset + j * bColumn
                            for _ in 0..<k {
                                sum += pa[ia] * pb[ib]
                                ia += aColumn
                                ib += bRow
                            }
                            out[i * n + j] = dtype.round(sum)
                        }
                    }
                }
            }
        }
    }

    /// `gemm` of row-major element arrays (mv, dot and each matrix of bmm).
    static func gemm(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, dtype: DType) -> [Double] {
        gemm(BLASMatrix(rowMajor: a, rows: m, cols: k), BLASMatrix(rowMajor: b, rows: k, cols: n), dtype: dtype).data
    }
}

/// The threads matrix products may use (`run --threads N`,
/// `AUTOGRAD_VIZ_THREADS`). NOTE: OpenBLAS's float32 products are not the
/// same for every thread count: bench/mlp-train's biases differ in the last
/// bit after 100 steps between 1 and 2 threads (measured 2026-12-03), so a
/// run is reproducible for a given count only.
public enum BLASThreads {
    public static func set(_ count: Int) {
        openblas_set_num_threads(Int32(clamping: Swift.max(1, count)))
    }

    public static var current: Int { Int(openblas_get_num_threads()) }
}
