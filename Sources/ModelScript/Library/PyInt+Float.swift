import Foundation

/// Between ints and floats, exactly: `float(n)` and `a / b` correctly rounded
/// (half to even, as CPython's `PyLong_AsDouble` and `long_true_divide`),
/// `int(x)` of any finite float, and comparisons that never round.
extension PyInt {
    /// `int(x)` for a float: truncation toward zero.
    public init(truncating x: Double) throws {
        if x.isNaN { throw PythonError.value("cannot convert float NaN to integer") }
        if x.isInfinite { throw PythonError.overflow("cannot convert float infinity to integer") }
        let t = x.rounded(.towardZero)
        if let small = Int(exactly: t) {
            self.init(small)
            return
        }
        // |t| >= 2**63: an integer significand times a power of two.
        let significand = t.significandBitPattern | (UInt64(1) << 52)
        let shift = Int(t.exponent) - 52
        self.init(negative: t < 0, limbs: Limbs.shiftLeft([significand], by: shift))
    }

    /// The float's value when it is an integer; nil for fractions, infinities and NaN.
    public init?(exactly x: Double) {
        guard x.isFinite, x.rounded(.towardZero) == x, let value = try? PyInt(truncating: x) else { return nil }
        self = value
    }

    /// `float(n)`: the nearest float, ties to even; OverflowError past the
    /// largest finite float.
    public func toDouble() throws -> Double {
        let x = Self.roundToDouble(limbs, exponent: 0, sticky: false)
        if x.isInfinite { throw PythonError.overflow("int too large to convert to float") }
        return negative ? -x : x
    }

    /// `a / b`, correctly rounded.
    public func trueDivided(by divisor: PyInt) throws -> Double {
        if divisor.isZero { throw PythonError.zeroDivision("division by zero") }
        let negate = negative != divisor.negative
        if isZero { return negate ? -0.0 : 0.0 }
        if bitLength <= 53 && divisor.bitLength <= 53 {
            // Both exact as floats: IEEE division rounds correctly.
            let x = Double(limbs[0]) / Double(divisor.limbs[0])
            return negate ? -x : x
        }
        let diff = bitLength - divisor.bitLength
        // a / b lies in [2**(diff - 1), 2**(diff + 1)).
        if diff > 1025 { throw PythonError.overflow("integer division result too large for a float") }
        if diff < -1077 { return negate ? -0.0 : 0.0 }  // below 2**-1076: rounds to zero
        // A quotient of 55 or 56 bits plus a sticky bit for the remainder is
        // enough to round to 53 bits (or fewer, for a subnormal result).
        let shift = 55 - diff
        let numerator = shift > 0 ? Limbs.shiftLeft(limbs, by: shift) : limbs
        let denominator = shift < 0 ? Limbs.shiftLeft(divisor.limbs, by: -shift) : divisor.limbs
        let (q, r) = Limbs.divide(numerator, denominator)
        let x = Self.roundToDouble(q, exponent: -shift, sticky: !r.isEmpty)
        if x.isInfinite { throw PythonError.overflow("integer division result too large for a float") }
        return negate ? -x : x
    }

    /// The float nearest to `m * 2**exponent (+ a little when sticky)`, ties
    /// to even, including subnormal results; infinity past the float range.
    /// `sticky` stands for nonzero bits below `m`'s last one, which must lie
    /// below the rounding position.
    static func roundToDouble(_ m: [UInt64], exponent: Int, sticky: Bool) -> Double {
        let n = Limbs.bitLength(m)
        if n == 0 { return 0 }
        let top = n - 1 + exponent  // the value is in [2**top, 2**(top + 1))
        if top > 1024 { return .infinity }
        // Bits a float keeps: 53, fewer below 2**-1022 (subnormals).
        let keep = min(53, top + 1075)
        if keep < 0 { return 0 }
        let drop = n - keep
        if drop <= 0 && !sticky {
            // Exact: m has at most 53 bits.
            return scalbn(Double(m[0]), Int32(exponent))
        }
        let dropped = max(drop, 0)
        var q = dropped >= n ? 0 : Limbs.shiftRight(m, by: dropped).first ?? 0
        let half = dropped > 0 && Limbs.bit(m, dropped - 1)
        let rest = sticky || (dropped > 1 && Limbs.anyBitBelow(m, dropped - 1))
        if half && (rest || q & 1 == 1) { q += 1 }
        return scalbn(Double(q), Int32(exponent + dropped))
    }

    /// -1, 0 or 1 as `self` is below, equal to or above `x`, exactly; nil
    /// when `x` is NaN (every comparison but `!=` is false).
    public func compare(to x: Double) -> Int? {
        if x.isNaN { return nil }
        if x.isInfinite { return x > 0 ? -1 : 1 }
        let whole = x.rounded(.towardZero)
        // Neither conversion can throw for a finite float.
        let c = Self.compare(self, (try? PyInt(truncating: whole)) ?? .zero)
        if c != 0 { return c }
        let fraction = x - whole  // exact
        return fraction > 0 ? -1 : fraction < 0 ? 1 : 0
    }

    /// `n == x` for a float `x`, exactly (`2**53 + 1 != 2.0**53`).
    public func isEqual(to x: Double) -> Bool { compare(to: x) == 0 }
}
