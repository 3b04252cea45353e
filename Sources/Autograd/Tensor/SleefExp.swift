/// Note [ATen's vectorized exp]: float32 `exp` inside ATen's vectorized CPU
/// kernels (`Vectorized<float>::exp()`, used by `sigmoid`) is Sleef's
/// `expf8_u10` on AVX2, not libm's `expf`: it differs from the correctly
/// rounded value in the last bit for some inputs, and PyTorch prints those
/// bits through `tolist()`. This is Sleef's `xexpf`, operation for
/// operation: q = rint(d/ln 2), a two-part reduction and a degree-6
/// polynomial in fused multiply-adds (`vmla` is an FMA with AVX2), scaled by
/// 2^q in two halves. A vectorized loop takes 16 elements at a time and
/// leaves the rest to the scalar op (libm's `expf`). (`torch.exp` itself
/// goes through MKL's VML in PyTorch's wheel; it is not this.)
enum SleefExp {
    static func expf(_ d: Float) -> Float {
        if d.isNaN { return d }
        if d < -104 { return 0 }
        if d > 100 { return .infinity }
        let q = Int32((d * 1.442695040888963407359924681001892137426645954152985934135449406931 as Float).rounded(.toNearestOrEven))
        let qf = Float(q)
        var s = fma32(d, qf, -0.693145751953125)
        s = fma32(s, qf, -1.428606765330187045e-06)
        var u: Float = 0.000198527617612853646278381
        u = fma32(0.00139304355252534151077271, u, s)
        u = fma32(0.00833336077630519866943359, u, s)
        u = fma32(0.0416664853692054748535156, u, s)
        u = fma32(0.166666671633720397949219, u, s)
        u = fma32(0.5, u, s)
        u = 1 + fma32(s, s * s, u)
        // vldexp2: two powers of two, each a normal float.
        let half = q >> 1
        u = u * power(half)
        u = u * power(q - half)
        return u
    }

    /// 2^e for e in [-126, 127], built from its exponent bits as Sleef's `vpow2i`.
    private static func power(_ e: Int32) -> Float {
        Float(bitPattern: UInt32(bitPattern: (e &+ 127) << 23))
    }
}
