/// Unsigned arithmetic on magnitudes in base 2**64, least significant limb
/// first, for `PyInt`. Every result is normalized (no high zero limbs; zero is
/// the empty array), and every argument is expected normalized. The inner
/// loops go through buffer pointers: the tests run unoptimized builds, where
/// checked array subscripts dominate.
enum Limbs {
    typealias Limb = UInt64

    static func normalize(_ a: inout [Limb]) {
        while let last = a.last, last == 0 { a.removeLast() }
    }

    static func bitLength(_ a: [Limb]) -> Int {
        guard let top = a.last else { return 0 }
        return a.count * 64 - top.leadingZeroBitCount
    }

    /// Bit `i` of `a` (zero past the top).
    static func bit(_ a: [Limb], _ i: Int) -> Bool {
        let limb = i >> 6
        return limb < a.count && (a[limb] >> UInt64(i & 63)) & 1 == 1
    }

    /// Whether any of the bits below `i` is set.
    static func anyBitBelow(_ a: [Limb], _ i: Int) -> Bool {
        let whole = min(i >> 6, a.count)
        for k in 0..<whole where a[k] != 0 { return true }
        guard whole < a.count, i & 63 != 0 else { return false }
        return a[whole] & ((1 << UInt64(i & 63)) - 1) != 0
    }

    static func compare(_ a: [Limb], _ b: [Limb]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        var i = a.count - 1
        while i >= 0 {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i -= 1
        }
        return 0
    }

    // MARK: - Addition and subtraction

    static func add(_ a: [Limb], _ b: [Limb]) -> [Limb] {
        let (long, short) = a.count >= b.count ? (a, b) : (b, a)
        var out = [Limb](repeating: 0, count: long.count + 1)
        out.withUnsafeMutableBufferPointer { o in
            long.withUnsafeBufferPointer { l in
                short.withUnsafeBufferPointer { s in
                    var carry: Limb = 0
                    for i in 0..<s.count {
                        let (x, c1) = l[i].addingReportingOverflow(s[i])
                        let (y, c2) = x.addingReportingOverflow(carry)
                        o[i] = y
                        carry = (c1 ? 1 : 0) + (c2 ? 1 : 0)
                    }
                    for i in s.count..<l.count {
                        let (y, c) = l[i].addingReportingOverflow(carry)
                        o[i] = y
                        carry = c ? 1 : 0
                    }
                    o[l.count] = carry
                }
            }
        }
        normalize(&out)
        return out
    }

    /// `a - b` for `a >= b`.
    static func subtract(_ a: [Limb], _ b: [Limb]) -> [Limb] {
        var out = a
        out.withUnsafeMutableBufferPointer { o in
            b.withUnsafeBufferPointer { s in
                var borrow: Limb = 0
                for i in 0..<s.count {
                    let (x, b1) = o[i].subtractingReportingOverflow(s[i])
                    let (y, b2) = x.subtractingReportingOverflow(borrow)
                    o[i] = y
                    borrow = (b1 ? 1 : 0) + (b2 ? 1 : 0)
                }
                var i = s.count
                while borrow != 0 {
                    let (y, b) = o[i].subtractingReportingOverflow(borrow)
                    o[i] = y
                    borrow = b ? 1 : 0
                    i += 1
                }
            }
        }
        normalize(&out)
        return out
    }

    // MARK: - Multiplication

    /// Operands of at least this many limbs multiply by Karatsuba's method.
    static let karatsubaThreshold = 48

    static func multiply(_ a: [Limb], _ b: [Limb]) -> [Limb] {
        if a.isEmpty || b.isEmpty { return [] }
        if min(a.count, b.count) >= karatsubaThreshold {
            let (long, short) = a.count >= b.count ? (a, b) : (b, a)
            return long.count >= 2 * short.count ? chunked(long, short) : karatsuba(long, short)
        }
        var out = [Limb](repeating: 0, count: a.count + b.count)
        out.withUnsafeMutableBufferPointer { o in
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    schoolbook(x, y, into: o)
                }
            }
        }
        normalize(&out)
        return out
    }

    /// `o += x * y`, where `o` has room for `x.count + y.count` limbs and the
    /// sum fits.
    private static func schoolbook(_ x: UnsafeBufferPointer<Limb>, _ y: UnsafeBufferPointer<Limb>,
                                   into o: UnsafeMutableBufferPointer<Limb>) {
        for i in 0..<x.count {
            let xi = x[i]
            if xi == 0 { continue }
            var carry: Limb = 0
            for j in 0..<y.count {
                let (high, low) = xi.multipliedFullWidth(by: y[j])
                let (s1, c1) = low.addingReportingOverflow(o[i + j])
                let (s2, c2) = s1.addingReportingOverflow(carry)
                o[i + j] = s2
                // high <= 2**64 - 2, so adding two carries cannot wrap.
                carry = high &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0)
            }
            var k = i + y.count
            while carry != 0 && k < o.count {
                let (s, c) = o[k].addingReportingOverflow(carry)
                o[k] = s
                carry = c ? 1 : 0
                k += 1
            }
        }
    }

    /// Karatsuba: with `a = a1*B + a0` and `b = b1*B + b0` split at half the
    /// shorter operand, `a*b = z2*B² + (z1 - z2 - z0)*B + z0` where
    /// `z1 = (a0 + a1)(b0 + b1)`.
    private static func karatsuba(_ a: [Limb], _ b: [Limb]) -> [Limb] {
        let half = min(a.count, b.count) / 2
        let a0 = trimmed(a[..<half]), a1 = Array(a[half...])
        let b0 = trimmed(b[..<half]), b1 = Array(b[half...])
        let z0 = multiply(a0, b0)
        let z2 = multiply(a1, b1)
        let z1 = subtract(subtract(multiply(add(a0, a1), add(b0, b1)), z2), z0)
        var out = [Limb](repeating: 0, count: a.count + b.count + 1)
        accumulate(z0, into: &out, at: 0)
        accumulate(z1, into: &out, at: half)
        accumulate(z2, into: &out, at: 2 * half)
        normalize(&out)
        return out
    }

    /// A long operand times a short one, a short-sized piece at a time, so
    /// that each piece is a balanced product.
    private static func chunked(_ long: [Limb], _ short: [Limb]) -> [Limb] {
        var out = [Limb](repeating: 0, count: long.count + short.count + 1)
        var offset = 0
        while offset < long.count {
            let piece = trimmed(long[offset..<min(offset + short.count, long.count)])
            accumulate(multiply(piece, short), into: &out, at: offset)
            offset += short.count
        }
        normalize(&out)
        return out
    }

    private static func trimmed(_ a: ArraySlice<Limb>) -> [Limb] {
        var out = Array(a)
        normalize(&out)
        return out
    }

    /// `out += a << (64 * offset)`, which must fit.
    private static func accumulate(_ a: [Limb], into out: inout [Limb], at offset: Int) {
        out.withUnsafeMutableBufferPointer { o in
            var carry: Limb = 0
            for i in 0..<a.count {
                let (s1, c1) = o[offset + i].addingReportingOverflow(a[i])
                let (s2, c2) = s1.addingReportingOverflow(carry)
                o[offset + i] = s2
                carry = (c1 ? 1 : 0) + (c2 ? 1 : 0)
            }
            var k = offset + a.count
            while carry != 0 {
                let (s, c) = o[k].addingReportingOverflow(carry)
                o[k] = s
                carry = c ? 1 : 0
                k += 1
            }
        }
    }

    /// `a * small + addend`.
    static func multiply(_ a: [Limb], small: Limb, adding addend: Limb = 0) -> [Limb] {
        var out = [Limb](repeating: 0, count: a.count + 1)
        out.withUnsafeMutableBufferPointer { o in
            a.withUnsafeBufferPointer { x in
                var carry = addend
                for i in 0..<x.count {
                    let (high, low) = x[i].multipliedFullWidth(by: small)
                    let (s, c) = low.addingReportingOverflow(carry)
                    o[i] = s
                    carry = high &+ (c ? 1 : 0)
                }
                o[x.count] = carry
            }
        }
        normalize(&out)
        return out
    }

    // MARK: - Division

    /// `a / small` and `a % small`, for `small != 0`.
    static func divide(_ a: [Limb], small: Limb) -> (quotient: [Limb], remainder: Limb) {
        var q = a
        var r: Limb = 0
        q.withUnsafeMutableBufferPointer { o in
            var i = o.count - 1
            while i >= 0 {
                (o[i], r) = small.dividingFullWidth((r, o[i]))
                i -= 1
            }
        }
        normalize(&q)
        return (q, r)
    }

    /// Truncating `a / b` and `a % b` for `b != 0`: Knuth's algorithm D
    /// (TAOCP vol. 2, 4.3.1).
    static func divide(_ a: [Limb], _ b: [Limb]) -> (quotient: [Limb], remainder: [Limb]) {
        precondition(!b.isEmpty, "division by a zero magnitude")
        if compare(a, b) < 0 { return ([], a) }
        if b.count == 1 {
            let (q, r) = divide(a, small: b[0])
            return (q, r == 0 ? [] : [r])
        }
        // Normalize so that the divisor's top bit is set; the dividend gets
        // one more limb.
        let shift = b[b.count - 1].leadingZeroBitCount
        let v = shiftLeft(b, by: shift)
        var u = shiftLeft(a, by: shift)
        while u.count < a.count + 1 { u.append(0) }
        let n = v.count, m = a.count - n
        var q = [Limb](repeating: 0, count: m + 1)
        u.withUnsafeMutableBufferPointer { u in
            v.withUnsafeBufferPointer { v in
                let vTop = v[n - 1], vNext = v[n - 2]
                var j = m
                while j >= 0 {
                    var qhat: Limb, rhat: Limb
                    var refine = true
                    if u[j + n] >= vTop {
                        // The true quotient digit is at most B - 1.
                        qhat = .max
                        let (r, overflow) = u[j + n - 1].addingReportingOverflow(vTop)
                        rhat = r
                        refine = !overflow
                    } else {
                        (qhat, rhat) = vTop.dividingFullWidth((u[j + n], u[j + n - 1]))
                    }
                    while refine {
                        let (high, low) = qhat.multipliedFullWidth(by: vNext)
                        guard high > rhat || (high == rhat && low > u[j + n - 2]) else { break }
                        qhat -= 1
                        let (r, overflow) = rhat.addingReportingOverflow(vTop)
                        rhat = r
                        refine = !overflow
                    }
                    // u[j...j+n] -= qhat * v
                    var carry: Limb = 0, borrow: Limb = 0
                    for i in 0..<n {
                        let (high, low) = qhat.multipliedFullWidth(by: v[i])
                        let (p, c) = low.addingReportingOverflow(carry)
                        carry = high &+ (c ? 1 : 0)
                        let (d1, b1) = u[i + j].subtractingReportingOverflow(p)
                        let (d2, b2) = d1.subtractingReportingOverflow(borrow)
                        u[i + j] = d2
                        borrow = (b1 ? 1 : 0) + (b2 ? 1 : 0)
                    }
                    let (d1, b1) = u[j + n].subtractingReportingOverflow(carry)
                    let (d2, b2) = d1.subtractingReportingOverflow(borrow)
                    u[j + n] = d2
                    if b1 || b2 {
                        // qhat was one too large (rare): add v back.
                        qhat -= 1
                        var c: Limb = 0
                        for i in 0..<n {
                            let (s1, c1) = u[i + j].addingReportingOverflow(v[i])
                            let (s2, c2) = s1.addingReportingOverflow(c)
                            u[i + j] = s2
                            c = (c1 ? 1 : 0) + (c2 ? 1 : 0)
                        }
                        u[j + n] &+= c
                    }
                    q[j] = qhat
                    j -= 1
                }
            }
        }
        normalize(&q)
        var r = Array(u[..<n])
        normalize(&r)
        return (q, shiftRight(r, by: shift))
    }

    // MARK: - Shifts

    static func shiftLeft(_ a: [Limb], by bits: Int) -> [Limb] {
        if a.isEmpty { return [] }
        let whole = bits >> 6, part = UInt64(bits & 63)
        var out = [Limb](repeating: 0, count: a.count + whole + 1)
        out.withUnsafeMutableBufferPointer { o in
            a.withUnsafeBufferPointer { x in
                if part == 0 {
                    for i in 0..<x.count { o[i + whole] = x[i] }
                } else {
                    var carry: Limb = 0
                    for i in 0..<x.count {
                        o[i + whole] = x[i] << part | carry
                        carry = x[i] >> (64 - part)
                    }
                    o[x.count + whole] = carry
                }
            }
        }
        normalize(&out)
        return out
    }

    static func shiftRight(_ a: [Limb], by bits: Int) -> [Limb] {
        let whole = bits >> 6, part = UInt64(bits & 63)
        if whole >= a.count { return [] }
        var out = [Limb](repeating: 0, count: a.count - whole)
        out.withUnsafeMutableBufferPointer { o in
            a.withUnsafeBufferPointer { x in
                if part == 0 {
                    for i in 0..<o.count { o[i] = x[i + whole] }
                } else {
                    for i in 0..<o.count {
                        let high = i + whole + 1 < x.count ? x[i + whole + 1] << (64 - part) : 0
                        o[i] = x[i + whole] >> part | high
                    }
                }
            }
        }
        normalize(&out)
        return out
    }

    /// The limbs of `a` as a fixed-width two's complement number of `count`
    /// limbs (negated when `negative`), for Python's bitwise operators.
    static func twosComplement(_ a: [Limb], negative: Bool, count: Int) -> [Limb] {
        var out = a + [Limb](repeating: 0, count: count - a.count)
        if negative { negate(&out) }
        return out
    }

    /// In place: `-a` modulo 2**(64 * a.count).
    static func negate(_ a: inout [Limb]) {
        var carry: Limb = 1
        for i in 0..<a.count {
            let (s, c) = (~a[i]).addingReportingOverflow(carry)
            a[i] = s
            carry = c ? 1 : 0
        }
    }
}
