import Foundation
import Testing
@testable import ModelScript
import Autograd

/// What the goldens cannot show: the bound of Note [PyInt bounds], the
/// hand-over to and from `Int`, agreement with `PythonHash` for floats, and
/// identities over sizes the goldens leave out.
@Suite struct PyIntBehaviourTests {
    static func int(_ text: String) -> PyInt { try! PyInt(text, radix: 10, maxStrDigits: 0)! }

    @Test func scriptsExamplesPrintAsCPython() throws {
        let two = PyInt(2)
        #expect(try two.power(64) == .int(Self.int("18446744073709551616")))
        guard case .int(let p63) = try two.power(63) else { Issue.record("2 ** 63 is an int"); return }
        #expect((p63 - 1).asInt == Int.max)
        #expect((-p63).asInt == Int.min)
        #expect(p63.asInt == nil && (-p63 - 1).asInt == nil)
        var factorial = PyInt.one
        for k in 1...25 { factorial = try factorial * PyInt(k) }
        #expect(try factorial.decimalString() == "15511210043330985984000000")
        #expect(try PyInt(3).power(39) == .int(Self.int("4052555153018976267")))
        #expect(try (PyInt(123456789) * PyInt(987654321) * PyInt(1000)).description == "121932631112635269000")
        #expect(try PythonFormat.format(try two.shiftedLeft(by: 69), spec: ",") == "1,180,591,620,717,411,303,424")
        #expect(try PythonFormat.format(try two.shiftedLeft(by: 69), spec: "x") == "400000000000000000")
        #expect(try PythonFormat.format(try two.shiftedLeft(by: 99), spec: ".3e") == "1.268e+30")
    }

    @Test func intsGoThroughUnchanged() {
        for i in [0, 1, -1, 42, -42, Int.max, Int.min, Int.max - 1, Int.min + 1, 1 << 62, -(1 << 62)] {
            let n = PyInt(i)
            #expect(n.asInt == i)
            #expect(n.description == String(i))
            #expect(PythonHash.hash(n) == PythonHash.hash(i))
            #expect(n.compare(to: i) == 0 && n.compare(to: i == Int.max ? i : i + 1) <= 0)
            #expect(PyInt(Int64(i)) == n)
        }
        #expect(PyInt(UInt64.max).description == "18446744073709551615")
        #expect(PyInt(UInt64.max).asInt == nil)
        #expect(PyInt(Int8(-128)).asInt == -128)
        #expect(PyInt(integerLiteral: -5) == PyInt(-5))
        #expect(PyInt(-3) < PyInt(2) && PyInt(-3) < PyInt(-2) && Self.int("-18446744073709551616") < PyInt(Int.min))
    }

    @Test func floatHashesAgreeWithIntHashes() throws {
        // hash(float(n)) == hash(n) whenever the float is exactly n: the reason
        // both reduce modulo 2**61 - 1.
        for e in [53, 61, 62, 63, 64, 100, 500, 1000, 1023] {
            for sign in [1.0, -1.0] {
                let x = sign * Foundation.pow(2.0, Double(e)) * 1.5
                let n = try #require(PyInt(exactly: x))
                #expect(PythonHash.hash(n) == PythonHash.hash(x))
                #expect(try n.toDouble() == x)
                #expect(n.isEqual(to: x) && !(n + .one).isEqual(to: x))
            }
        }
    }

    @Test func boundRefusesHugeResultsQuickly() throws {
        let memory = PythonError(type: "MemoryError", message: PyInt.tooLarge().message)
        let one = PyInt.one
        // The largest power of two allowed, and one past it.
        let top = try one.shiftedLeft(by: PyInt.maxBitLength - 1)
        #expect(top.bitLength == PyInt.maxBitLength)
        #expect(throws: memory) { try one.shiftedLeft(by: PyInt.maxBitLength) }
        #expect(throws: memory) { try top * PyInt(2) }
        #expect(throws: memory) { try PyInt(2).power(PyInt(PyInt.maxBitLength)) }
        #expect(throws: memory) { try PyInt(3).power(Self.int("100000000000000000000")) }
        #expect(throws: memory) { try PyInt(2).shiftedLeft(by: Self.int("1180591620717411303424")) }
        #expect(try PyInt(2).power(PyInt(PyInt.maxBitLength - 1)) == .int(top))
        #expect(try PyInt(-1).power(Self.int("1180591620717411303425")) == .int(PyInt(-1)))
        #expect(try PyInt.zero.shiftedLeft(by: Self.int("1180591620717411303424")) == .zero)
        #expect(try top.shiftedRight(by: Self.int("1180591620717411303424")) == .zero)
        #expect(try (-top).shiftedRight(by: Self.int("1180591620717411303424")) == PyInt(-1))
        // Addition may pass the bound by a bit; products of it may not.
        let past = top + top
        #expect(past.bitLength == PyInt.maxBitLength + 1)
        #expect(throws: memory) { try past * .one }
        // Modular powers refused by their cost, before any work.
        let modulus = try one.shiftedLeft(by: 200_000) + one
        #expect(throws: PyInt.tooSlow("pow() with a 20001-bit exponent and a 8193-bit modulus")) {
            try PyInt(3).power(try one.shiftedLeft(by: 20_000), modulo: try one.shiftedLeft(by: 8192) + one)
        }
        #expect(throws: PyInt.tooSlow("pow() with a negative exponent and a 200001-bit modulus")) {
            try PyInt(3).power(PyInt(-1), modulo: modulus)
        }
        #expect(try PyInt(3).power(PyInt(-1), modulo: PyInt(7)) == PyInt(5))
        // Text: a hex literal past the bound, and the decimal limits.
        let hex = "1" + String(repeating: "0", count: PyInt.maxBitLength / 4)
        #expect(throws: memory) { try PyInt(hex, radix: 16) }
        #expect(try PyInt("8" + hex.dropFirst(2), radix: 16) == top)
        #expect(throws: PyInt.limitToString(4300)) { try top.decimalString() }
        #expect(try PyInt(String(repeating: "7", count: 5000), radix: 10, maxStrDigits: 0)?.description
            == String(repeating: "7", count: 5000))
        #expect(try Self.int(String(repeating: "9", count: 4301)).decimalString(maxStrDigits: 5000).count == 4301)
    }

    @Test func largeProductsAgreeWithDivision() throws {
        // Karatsuba's products (operands past 48 limbs) against long division.
        var rng = SplitMix64(seed: 7)
        for (aBits, bBits) in [(3_100, 3_200), (6_400, 3_300), (20_000, 20_000), (40_000, 7_000)] {
            let a = rng.int(bits: aBits), b = rng.int(bits: bBits)
            let c = rng.int(bits: bBits / 2)
            let product = try a * b + c
            let (q, r) = try product.divMod(b)
            #expect(q == a && r == c)
            #expect(try (a + b) * (a - b) == (try a * a) - (try b * b))
        }
    }

    @Test func everyRadixReadsBackWhatItWrites() throws {
        var rng = SplitMix64(seed: 11)
        for radix in 2...36 {
            for bits in [1, 63, 64, 65, 200, 1000] {
                let n = rng.int(bits: bits)
                for value in [n, -n] {
                    let text = String(value, radix: radix, uppercase: radix % 2 == 0)
                    #expect(try PyInt(text, radix: radix, maxStrDigits: 0) == value)
                }
            }
        }
    }

    @Test func trueDivisionOfSmallIntsIsFloatDivision() throws {
        for (a, b) in [(1, 3), (-7, 2), (2, -3), (0, -5), (1 << 53, 3), (-(1 << 52) - 1, 7)] {
            #expect(try PyInt(a).trueDivided(by: PyInt(b)) == Double(a) / Double(b))
        }
        #expect(try PyInt.zero.trueDivided(by: PyInt(-5)).sign == .minus)
    }
}

extension SplitMix64 {
    /// A random int of exactly `bits` bits, for the identities above.
    mutating func int(bits: Int) -> PyInt {
        var limbs = (0..<(bits + 63) / 64).map { _ in next() }
        let extra = limbs.count * 64 - bits
        limbs[limbs.count - 1] = limbs[limbs.count - 1] >> UInt64(extra) | UInt64(1) << UInt64(63 - extra)
        return PyInt(negative: false, limbs: limbs)
    }
}
