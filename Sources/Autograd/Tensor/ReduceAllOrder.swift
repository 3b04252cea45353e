/// Note [ATen's reduce-all order]: a whole-lane reduction in ATen's CPU
/// kernels (`vec::reduce_all`, `vec::map2_reduce_all`) does not fold left to
/// right. With AVX2 it keeps one accumulator per vector lane (8 float32, 4
/// float64), folds the lane's elements into them a vector at a time (a short
/// tail into the first accumulators), then folds the accumulators in halves
/// (lane i with lane i + width/2). A lane shorter than a vector is folded
/// left to right. The order decides the last bit of a float sum, and which
/// of two equal values (0. and -0.) a max keeps, so `op(a, b)` must be the
/// vector op as written (`_mm256_max_ps` keeps b on a tie).
enum ReduceAllOrder {
    static func fold(_ xs: [Double], dtype: DType, _ op: (Double, Double) -> Double) -> Double {
        let width = dtype == .float32 ? 8 : 4
        guard let first = xs.first else { return 0 }
        guard xs.count >= width else { return xs.dropFirst().reduce(first, op) }
        var acc = Array(xs[0..<width])
        var k = width
        while k < xs.count {
            for i in 0..<Swift.min(width, xs.count - k) { acc[i] = op(acc[i], xs[k + i]) }
            k += width
        }
        var half = width / 2
        while half >= 1 {
            for i in 0..<half { acc[i] = op(acc[i], acc[i + half]) }
            half /= 2
        }
        return acc[0]
    }
}
