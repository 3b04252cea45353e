/// `c + a·b` rounded once to float32, without the `fmaf` library call
/// that `Float.addingProduct` makes on a CPU baseline without FMA (an
/// optimizer step makes one per element). a·b is exact in Double (24-bit
/// significands), and TwoSum gives the exact remainder of adding c. Only
/// a sum that lands exactly halfway between two floats can round the
/// wrong way a second time; there the remainder's sign decides.
///
/// The common path is inlined into the loops that call it (an optimizer
/// step, small matrix products); the rare one is not, which keeps those
/// loops small (inlining all of it made mlp-train 3x slower).
@inline(__always)
func fma32(_ c: Float, _ a: Float, _ b: Float) -> Float {
    let product = Double(a) * Double(b), addend = Double(c)
    let sum = product + addend
    // A normal float's rounding drops 29 bits of the Double, and only
    // 1000…0 there is halfway.
    if sum.bitPattern & 0x1FFF_FFFF != 0x1000_0000 && Swift.abs(sum) >= Double(Float.leastNormalMagnitude) {
        return Float(sum)
    }
    return fma32Rounding(product, addend, sum)
}

/// `fma32` for a sum that may be a tie (or tiny, or not finite).
@inline(never)
private func fma32Rounding(_ product: Double, _ addend: Double, _ sum: Double) -> Float {
    let f = Float(sum)
    guard sum.isFinite else { return f }
    // Rounding treats infinity as the float after the largest, 2^128: the
    // tie between them is where a finite sum starts to overflow.
    func position(_ x: Float) -> Double { x.isInfinite ? (x > 0 ? 0x1p128 : -0x1p128) : Double(x) }
    let nearest = position(f)
    if nearest == sum { return f }
    let neighbour = sum > nearest ? f.nextUp : f.nextDown
    guard sum == (nearest + position(neighbour)) * 0.5 else { return f }
    let virtualAddend = sum - product
    let remainder = (product - (sum - virtualAddend)) + (addend - virtualAddend)
    if remainder == 0 { return f }  // a true tie: Float(sum) already rounded it to even
    return remainder > 0 ? Swift.max(f, neighbour) : Swift.min(f, neighbour)
}
