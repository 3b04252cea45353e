import Foundation
import Testing
@testable import ModelScript

/// `PyInt` against CPython 3.11 (fixtures/python-lib/bigint.json, written by
/// tools/make_bigint_goldens.py): every operation over a seeded sweep of
/// operands from 0 to a few thousand bits, with CPython's results and
/// messages.
@Suite struct PyIntGoldenTests {
    static let cases: [[JSON]] = ((try? LibraryGoldens.load("bigint.json"))?["cases"]?.arrayValue ?? [])
        .map { $0.arrayValue! }

    /// A golden int, written without the 4300-digit limit.
    static func int(_ j: JSON) -> PyInt {
        try! PyInt(j.stringValue!, radix: 10, maxStrDigits: 0)!
    }

    static func expected(_ j: JSON) -> String {
        if let error = LibraryGoldens.error(j) { return error }
        if let pair = j.arrayValue { return pair.map { $0.stringValue! }.joined(separator: " ") }
        return j.stringValue!
    }

    /// How a sign and prefix go before digits in `hex`, `oct` and `bin`.
    static func prefixed(_ n: PyInt, _ prefix: String, _ radix: Int) -> String {
        (n.signum < 0 ? "-" : "") + prefix + String(n.absoluteValue, radix: radix)
    }

    static func render(_ p: PyInt.Power) -> String {
        switch p {
        case .int(let n): return n.description
        case .float(let x): return pythonRepr(x)
        }
    }

    /// What our implementation answers to `op` on `args`.
    static func answer(_ op: String, _ args: [JSON]) -> String {
        func out<T>(_ body: () throws -> T, _ render: (T) -> String) -> String { LibraryGoldens.outcome(body, render) }
        func text(_ n: PyInt) -> String { n.description }
        switch op {
        case "add": return text(int(args[0]) + int(args[1]))
        case "sub": return text(int(args[0]) - int(args[1]))
        case "mul": return out({ try int(args[0]) * int(args[1]) }, text)
        case "divmod": return out({ try int(args[0]).divMod(int(args[1])) }, { "\($0.quotient) \($0.remainder)" })
        case "floordiv": return out({ try int(args[0]).floorDivided(by: int(args[1])) }, text)
        case "mod": return out({ try int(args[0]).modulo(int(args[1])) }, text)
        case "truediv": return out({ try int(args[0]).trueDivided(by: int(args[1])) }, pythonRepr)
        case "pow": return out({ try int(args[0]).power(int(args[1])) }, render)
        case "powmod": return out({ try int(args[0]).power(int(args[1]), modulo: int(args[2])) }, text)
        case "and": return text(int(args[0]) & int(args[1]))
        case "or": return text(int(args[0]) | int(args[1]))
        case "xor": return text(int(args[0]) ^ int(args[1]))
        case "lshift": return out({ try int(args[0]).shiftedLeft(by: int(args[1])) }, text)
        case "rshift": return out({ try int(args[0]).shiftedRight(by: int(args[1])) }, text)
        case "cmp": return String(PyInt.compare(int(args[0]), int(args[1])))
        case "cmpfloat": return int(args[0]).compare(to: Double(args[1].stringValue!)!).map(String.init) ?? "nan"
        case "int_float": return out({ try PyInt(truncating: Double(args[0].stringValue!)!) }, text)
        case "float_is_integer": return PyInt(exactly: Double(args[0].stringValue!)!) != nil ? "true" : "false"
        case "parse":
            // An invalid literal is nil: the interpreter writes the message,
            // quoting the text as repr does.
            let base = args[1].goldenInt!
            return out({ try PyInt(args[0].stringValue!, radix: base) },
                       { $0.map(text) ?? "ValueError: invalid literal for int() with base \(base): …" })
        case "format": return out({ try PythonFormat.format(int(args[0]), spec: args[1].stringValue!) }, { $0 })
        default: return "unknown op \(op)"
        }
    }

    static func unary(_ op: String, _ n: PyInt) -> String {
        switch op {
        case "neg": return (-n).description
        case "abs": return n.absoluteValue.description
        case "invert": return (~n).description
        case "bit_length": return String(n.bitLength)
        case "bit_count": return String(n.bitCount)
        case "float": return LibraryGoldens.outcome({ try n.toDouble() }, pythonRepr)
        case "hash": return String(PythonHash.hash(n))
        case "str": return LibraryGoldens.outcome({ try n.decimalString() }, { $0 })
        case "hex": return prefixed(n, "0x", 16)
        case "oct": return prefixed(n, "0o", 8)
        case "bin": return prefixed(n, "0b", 2)
        default: return "unknown op \(op)"
        }
    }

    /// Every golden of `ops` (all when empty) against our answer.
    static func check(_ ops: Set<String>) -> (checked: Int, failures: Int) {
        var checked = 0, failures = 0
        func compare(_ what: @autoclosure () -> String, _ got: String, _ expected: String) {
            checked += 1
            // parse's invalid literals: only the message's start is ours.
            let same = got == expected || (got.hasSuffix(": …") && expected.hasPrefix(String(got.dropLast())))
            if !same {
                failures += 1
                if failures <= 30 {
                    Issue.record("\(what()): got \(got.prefix(300).debugDescription), CPython \(expected.prefix(300).debugDescription)")
                }
            }
        }
        for c in cases where ops.isEmpty || ops.contains(c[0].stringValue!) {
            let op = c[0].stringValue!, args = c[1].arrayValue!
            let label = { "\(op)(\(args.map { String(($0.stringValue ?? "\($0)").prefix(60)) }.joined(separator: ", ")))" }
            if op == "unary" {
                let n = int(args[0])
                guard case .object(let results) = c[2] else { continue }
                for (name, result) in results {
                    compare("\(name)(\(label()))", unary(name, n), expected(result))
                }
            } else {
                compare(label(), answer(op, args), expected(c[2]))
                if op == "divmod", LibraryGoldens.error(c[2]) == nil {
                    let pair = expected(c[2]).split(separator: " ").map(String.init)
                    compare("floordiv \(label())", answer("floordiv", args), pair[0])
                    compare("mod \(label())", answer("mod", args), pair[1])
                }
            }
        }
        return (checked, failures)
    }

    @Test func goldensAreThere() {
        #expect(Self.cases.count > 7_000)
        #expect(Self.cases.first { $0[0].stringValue == "unary" } != nil)
    }

    @Test func arithmeticMatchesCPython() {
        let (checked, failures) = Self.check(["add", "sub", "mul", "divmod", "floordiv", "mod", "pow", "powmod"])
        #expect(checked > 2_500)
        #expect(failures == 0, "\(failures) of \(checked) differ")
    }

    @Test func bitsAndComparisonsMatchCPython() {
        let (checked, failures) = Self.check(["and", "or", "xor", "lshift", "rshift", "cmp"])
        #expect(checked > 1_500)
        #expect(failures == 0, "\(failures) of \(checked) differ")
    }

    @Test func floatsMatchCPython() {
        let (checked, failures) = Self.check(["truediv", "cmpfloat", "int_float", "float_is_integer"])
        #expect(checked > 1_500)
        #expect(failures == 0, "\(failures) of \(checked) differ")
    }

    @Test func textMatchesCPython() {
        let (checked, failures) = Self.check(["parse", "format"])
        #expect(checked > 1_000)
        #expect(failures == 0, "\(failures) of \(checked) differ")
    }

    @Test func unaryOperationsMatchCPython() {
        let (checked, failures) = Self.check(["unary"])
        #expect(checked > 3_000)
        #expect(failures == 0, "\(failures) of \(checked) differ")
    }
}
