import Testing
@testable import Autograd

/// Matrix products: strided operands read in place, integer products in a
/// plain loop, and no result that depends on the size of the matrix around it.
@Suite struct BLASTests {
    let rt = Runtime(seed: 7)

    func matrix(_ rows: Int, _ cols: Int, _ dtype: DType) throws -> Tensor {
        let values = (0..<(rows * cols)).map { _ in dtype == .int64 ? Double(Int.random(in: -9...9)) : Double.random(in: -2...2) }
        return try Tensor.from(rt, values: values.map(dtype.round), shape: [rows, cols], dtype: dtype)
    }

    /// Σ a·b in Double, the reference.
    func reference(_ a: Tensor, _ b: Tensor) -> [Double] {
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        let av = a.values, bv = b.values
        return (0..<(m * n)).map { e in (0..<k).reduce(0.0) { $0 + av[e / n * k + $1] * bv[$1 * n + e % n] } }
    }

    @Test(arguments: [DType.float32, .float64, .int64])
    func smallAndLargeProductsAgreeWithTheReference(_ dtype: DType) throws {
        for (m, k, n) in [(20, 20, 1), (1, 20, 20), (3, 1, 4), (16, 32, 16), (17, 33, 15), (64, 40, 48)] {
            let a = try matrix(m, k, dtype), b = try matrix(k, n, dtype)
            let product = try a.mm(b).values
            for (x, y) in zip(product, reference(a, b)) {
                let tolerance = dtype == .float32 ? 1e-5 * Double(k) : dtype == .float64 ? 1e-12 : 0
                #expect(abs(x - y) <= tolerance, "\(m)x\(k)x\(n) \(dtype): \(x) vs \(y)")
            }
        }
    }

    /// A transposed view (w.t()) and a row slice go in place; the result is
    /// the one of a contiguous copy, bit for bit.
    @Test(arguments: [DType.float32, .float64])
    func stridedOperandsGiveTheResultsOfContiguousCopies(_ dtype: DType) throws {
        for (m, k, n) in [(20, 20, 1), (64, 40, 48)] {
            let w = try matrix(n, k, dtype), x = try matrix(m + 2, k, dtype)
            let rows = try x.slice(0, start: 1, stop: m + 1)
            let viaViews = try rows.mm(w.t()).values
            let viaCopies = try rows.contiguous().mm(w.t().contiguous()).values
            #expect(viaViews == viaCopies, "\(m)x\(k)x\(n) \(dtype)")
            let bias = try matrix(1, n, dtype).reshape([n])
            let added = try Tensor.addmm(bias, rows, w.t()).values
            for (x, y) in zip(added, zip(viaCopies, (0..<(m * n)).map { bias.values[$0 % n] }).map { $0 + $1 }) {
                #expect(abs(x - y) <= 1e-5, "addmm adds the bias")
            }
        }
    }

    /// A row of a product is the same whether the matrix around it is small
    /// or large (a small-product loop once rounded differently from sgemm).
    @Test func aRowDoesNotDependOnTheSizeOfItsMatrix() throws {
        let a = try matrix(7, 33, .float32), b = try matrix(33, 5, .float32)
        let row = try a.slice(0, start: 1, stop: 2)
        let big = try Tensor.from(rt, values: Array(repeating: row.values, count: 60).flatMap { $0 }, shape: [60, 33], dtype: .float32)
        let small = try a.mm(b).values, large = try big.mm(b).values
        #expect(Array(small[5..<10]) == Array(large[0..<5]))
    }
}
