/// `<< >> & | ^ ~` with Python's semantics: a negative int behaves as an
/// infinite two's complement bit string, so `-1 & x == x`, `~x == -x - 1`,
/// and `>>` rounds toward negative infinity.
extension PyInt {
    public static prefix func ~ (a: PyInt) -> PyInt { -(a + .one) }

    public static func & (a: PyInt, b: PyInt) -> PyInt { bitwise(a, b, &) }
    public static func | (a: PyInt, b: PyInt) -> PyInt { bitwise(a, b, |) }
    public static func ^ (a: PyInt, b: PyInt) -> PyInt { bitwise(a, b, ^) }

    /// Both operands as two's complement numbers one limb wider than the
    /// wider magnitude, so that the top limb holds only sign bits.
    private static func bitwise(_ a: PyInt, _ b: PyInt, _ op: (UInt64, UInt64) -> UInt64) -> PyInt {
        let count = max(a.limbs.count, b.limbs.count) + 1
        let x = Limbs.twosComplement(a.limbs, negative: a.negative, count: count)
        let y = Limbs.twosComplement(b.limbs, negative: b.negative, count: count)
        var out = [UInt64](repeating: 0, count: count)
        for i in 0..<count { out[i] = op(x[i], y[i]) }
        let negative = out[count - 1] >> 63 == 1
        if negative { Limbs.negate(&out) }
        return PyInt(negative: negative, limbs: out)
    }

    /// `a << n`; ValueError for a negative count, MemoryError beyond Note
    /// [PyInt bounds].
    public func shiftedLeft(by count: PyInt) throws -> PyInt {
        if count.negative { throw PythonError.value("negative shift count") }
        if isZero { return .zero }
        guard let n = count.asInt, n <= PyInt.maxBitLength else { throw Self.tooLarge() }
        try Self.checkBound(bitLength + n)
        return PyInt(negative: negative, limbs: Limbs.shiftLeft(limbs, by: n))
    }

    /// `a >> n`: floor(a / 2**n); ValueError for a negative count.
    public func shiftedRight(by count: PyInt) throws -> PyInt {
        if count.negative { throw PythonError.value("negative shift count") }
        guard let n = count.asInt, n < bitLength else { return negative ? PyInt(-1) : .zero }
        let shifted = PyInt(negative: negative, limbs: Limbs.shiftRight(limbs, by: n))
        // A negative number loses its dropped bits toward negative infinity.
        return negative && Limbs.anyBitBelow(limbs, n) ? shifted - .one : shifted
    }

    public func shiftedLeft(by count: Int) throws -> PyInt { try shiftedLeft(by: PyInt(count)) }
    public func shiftedRight(by count: Int) throws -> PyInt { try shiftedRight(by: PyInt(count)) }
}
