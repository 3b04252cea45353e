/// `c + a·b` rounded once to float32, without the `fmaf` library call
/// that `Float.addingProduct` makes on a CPU baseline without FMA (an
/// optimizer step makes one per element).
///
/// a·b is exact in Double (24-bit significands), and TwoSum gives the exact
/// remainder of adding c, so the exact value is known. It is first rounded
/// to Double *to odd* (kept if exact, else the one of its two Double
/// neighbours whose last significand bit is 1), then to float32 to nearest:
/// with 53 ≥ 24 + 2 bits that double rounding gives the correctly rounded
/// result (Boldo and Melquiond, "Emulation of FMA and correctly rounded sums:
/// proved algorithms using rounding to odd", IEEE TC 2008), ties,
/// subnormal results and overflow included. No branch: the loops that call
/// it (an optimizer step over a weight matrix) vectorise.
@inline(__always)
func fma32(_ c: Float, _ a: Float, _ b: Float) -> Float {
    Float(fma32Odd(Double(c), Double(a), Double(b)))
}

/// `fma32` on float32 values held as Double, before the last rounding:
/// `Float(fma32Odd(c, a, b))` is the float32 `c + a·b`.
@inline(__always)
func fma32Odd(_ c: Double, _ a: Double, _ b: Double) -> Double {
    let product = a * b
    let sum = product + c
    // TwoSum (Knuth): sum + remainder is exactly product + c.
    let virtualC = sum - product
    let remainder = (product - (sum - virtualC)) + (c - virtualC)
    // Inexact and even: step to the odd neighbour on the remainder's side
    // (an infinite or NaN sum stays as it is).
    let bits = sum.bitPattern
    let toOdd = remainder != 0 && bits & 1 == 0 && Swift.abs(sum) <= Double.greatestFiniteMagnitude
    let step: UInt64 = (remainder < 0) == (sum < 0) ? 1 : ~0
    return Double(bitPattern: bits &+ (toOdd ? step : 0))
}
