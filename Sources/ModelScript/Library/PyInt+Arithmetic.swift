import Foundation

/// `+ - * // % divmod ** pow(a, b, m)` and the unary operators with Python's
/// semantics: floor division rounds toward negative infinity and the
/// remainder takes the divisor's sign.
extension PyInt {
    public static func + (a: PyInt, b: PyInt) -> PyInt {
        if a.negative == b.negative { return PyInt(negative: a.negative, limbs: Limbs.add(a.limbs, b.limbs)) }
        // Opposite signs: the larger magnitude wins.
        if Limbs.compare(a.limbs, b.limbs) >= 0 {
            return PyInt(negative: a.negative, limbs: Limbs.subtract(a.limbs, b.limbs))
        }
        return PyInt(negative: b.negative, limbs: Limbs.subtract(b.limbs, a.limbs))
    }

    public static func - (a: PyInt, b: PyInt) -> PyInt { a + (-b) }

    public static prefix func - (a: PyInt) -> PyInt { PyInt(negative: !a.negative, limbs: a.limbs) }

    public static prefix func + (a: PyInt) -> PyInt { a }

    /// `abs(x)`.
    public var absoluteValue: PyInt { PyInt(negative: false, limbs: limbs) }

    /// `a * b`; a MemoryError beyond Note [PyInt bounds].
    public static func * (a: PyInt, b: PyInt) throws -> PyInt {
        if a.isZero || b.isZero { return .zero }
        // The product has bitLength(a) + bitLength(b) bits, or one fewer.
        try checkBound(a.bitLength + b.bitLength - 1)
        let product = PyInt(negative: a.negative != b.negative, limbs: Limbs.multiply(a.limbs, b.limbs))
        try checkBound(product.bitLength)
        return product
    }

    // MARK: - Division

    /// `divmod(a, b)`: `a // b` and `a % b`, with `a == q * b + r` and `r`
    /// of `b`'s sign.
    public func divMod(_ divisor: PyInt) throws -> (quotient: PyInt, remainder: PyInt) {
        if divisor.isZero { throw PythonError.zeroDivision("integer division or modulo by zero") }
        return floorDivMod(divisor)
    }

    /// `a // b`.
    public func floorDivided(by divisor: PyInt) throws -> PyInt {
        if divisor.isZero { throw PythonError.zeroDivision("integer division or modulo by zero") }
        return floorDivMod(divisor).quotient
    }

    /// `a % b`.
    public func modulo(_ divisor: PyInt) throws -> PyInt {
        if divisor.isZero { throw PythonError.zeroDivision("integer modulo by zero") }
        return floorDivMod(divisor).remainder
    }

    /// Floor division for a non-zero divisor.
    func floorDivMod(_ divisor: PyInt) -> (quotient: PyInt, remainder: PyInt) {
        let (q, r) = Limbs.divide(limbs, divisor.limbs)
        var quotient = PyInt(negative: negative != divisor.negative, limbs: q)
        var remainder = PyInt(negative: negative, limbs: r)
        if !remainder.isZero && remainder.negative != divisor.negative {
            // Truncation rounded toward zero; floor is one further down.
            quotient = quotient - .one
            remainder = remainder + divisor
        }
        return (quotient, remainder)
    }

    // MARK: - Powers

    /// What `a ** b` gives: an int for a non-negative exponent, a float for a
    /// negative one.
    public enum Power: Equatable, Sendable {
        case int(PyInt)
        case float(Double)
    }

    /// `a ** b` (two arguments).
    public func power(_ exponent: PyInt) throws -> Power {
        if exponent.negative {
            // int.__pow__ hands a negative exponent to float.__pow__.
            let x = try toDouble(), y = try exponent.toDouble()
            if x == 0 { throw PythonError.zeroDivision("0.0 cannot be raised to a negative power") }
            // float_pow: the power of |x|, negated for a negative base and an odd exponent.
            let odd = y.magnitude.truncatingRemainder(dividingBy: 2) == 1
            let r = Foundation.pow(x.magnitude, y)
            return .float(x < 0 && odd ? -r : r)
        }
        return .int(try power(nonNegative: exponent))
    }

    /// `a ** b` for `b >= 0`.
    func power(nonNegative exponent: PyInt) throws -> PyInt {
        if exponent.isZero { return .one }
        if isZero { return .zero }
        if limbs == [1] {
            // ±1: the sign follows the exponent's parity.
            return negative && exponent.limbs[0] & 1 == 1 ? self : .one
        }
        guard let e = exponent.asInt, e <= PyInt.maxBitLength else { throw Self.tooLarge() }
        // a = odd * 2**t, so a**e = odd**e << (t * e): powers of two are shifts.
        let t = Self.trailingZeroBits(limbs)
        let odd = PyInt(negative: negative, limbs: Limbs.shiftRight(limbs, by: t))
        // The result has at least (bitLength - 1) * e + 1 bits.
        try Self.checkBound((bitLength - 1) * e + 1)
        var result = PyInt.one
        if odd.limbs != [1] {
            // Left to right: every partial result divides the final one, so
            // `*`'s bound check never refuses what the final result allows.
            var i = Int.bitWidth - 1 - e.leadingZeroBitCount
            while i >= 0 {
                result = try result * result
                if (e >> i) & 1 == 1 { result = try result * odd.absoluteValue }
                i -= 1
            }
        }
        let shifted = PyInt(negative: false, limbs: Limbs.shiftLeft(result.limbs, by: t * e))
        try Self.checkBound(shifted.bitLength)
        return negative && e & 1 == 1 ? -shifted : shifted
    }

    static func trailingZeroBits(_ limbs: [UInt64]) -> Int {
        var i = 0
        while limbs[i] == 0 { i += 1 }
        return i * 64 + limbs[i].trailingZeroBitCount
    }

    /// `pow(a, b, m)` as CPython 3.11 computes it: a result of `m`'s sign, a
    /// negative exponent through the modular inverse of the base.
    public func power(_ exponent: PyInt, modulo modulus: PyInt) throws -> PyInt {
        if modulus.isZero { throw PythonError.value("pow() 3rd argument cannot be 0") }
        let m = modulus.absoluteValue
        if m.limbs == [1] { return .zero }
        // Note [PyInt bounds]: a square and a reduction per exponent bit.
        let limbs = m.limbs.count
        if exponent.bitLength > Self.modularPowerBudget / (limbs * limbs) {
            throw Self.tooSlow("pow() with a \(exponent.bitLength)-bit exponent and a \(m.bitLength)-bit modulus")
        }
        var base = self
        var e = exponent
        if e.negative {
            e = -e
            base = try base.inverse(modulo: m)
        }
        base = base.floorDivMod(m).remainder
        var result = PyInt.one
        var i = e.bitLength - 1
        while i >= 0 {
            result = Self.multiplyModulo(result, result, m)
            if Limbs.bit(e.limbs, i) { result = Self.multiplyModulo(result, base, m) }
            i -= 1
        }
        // 1 is not reduced above when the exponent is 0.
        result = result.floorDivMod(m).remainder
        if modulus.negative && !result.isZero { result = result - m }
        return result
    }

    /// `a * b % m` for `0 <= a, b < m`: the product is below m**2, so no
    /// bound applies to it.
    private static func multiplyModulo(_ a: PyInt, _ b: PyInt, _ m: PyInt) -> PyInt {
        PyInt(negative: false, limbs: Limbs.divide(Limbs.multiply(a.limbs, b.limbs), m.limbs).remainder)
    }

    /// `long_invmod`: the inverse of `self` modulo `m > 1`, by the extended
    /// Euclidean algorithm.
    func inverse(modulo m: PyInt) throws -> PyInt {
        // Note [PyInt bounds]: about 0.6 steps per bit, each linear in m's limbs.
        if m.bitLength > Self.inverseBudget / m.limbs.count {
            throw Self.tooSlow("pow() with a negative exponent and a \(m.bitLength)-bit modulus")
        }
        var a = self, n = m
        var b = PyInt.one, c = PyInt.zero
        while !n.isZero {
            let (q, r) = a.floorDivMod(n)
            (a, n) = (n, r)
            // |q * c| < m: the coefficients stay below the modulus.
            let qc = PyInt(negative: q.negative != c.negative, limbs: Limbs.multiply(q.limbs, c.limbs))
            (b, c) = (c, b - qc)
        }
        guard a.limbs == [1] && !a.negative else {
            throw PythonError.value("base is not invertible for the given modulus")
        }
        return b
    }
}
