import Foundation

/// Arithmetic and comparison on Python ints, floats and bools (and `+`/`*`
/// on strings, lists and tuples), with Python's result types and messages.
enum PythonNumbers {
    /// A Python number: an int of 64 bits, a wider int, or a float.
    enum Number { case int(Int), big(PyInt), float(Double) }

    static func number(_ v: Value) -> Number? {
        switch v {
        case .int(let i): return .int(i)
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d): return .float(d)
        case .bigInt(let n): return .big(n)
        default: return nil
        }
    }

    /// The number as a float, as Python converts an int operand of a float
    /// operation (OverflowError for an int beyond the float range).
    static func double(_ n: Number) throws -> Double {
        switch n {
        case .int(let i): return Double(i)
        case .big(let b): return try b.toDouble()
        case .float(let d): return d
        }
    }

    /// The number as an int of any size, if it is an int.
    static func integer(_ n: Number) -> PyInt? {
        switch n {
        case .int(let i): return PyInt(i)
        case .big(let b): return b
        case .float: return nil
        }
    }

    /// Python's exact comparison of two numbers (`2**53 + 1 > 2.0**53`): -1,
    /// 0 or 1, nil when a float is NaN.
    static func order(_ a: Number, _ b: Number) -> Int? {
        switch (a, b) {
        case let (.int(x), .int(y)): return x < y ? -1 : x > y ? 1 : 0
        case let (.float(x), .float(y)):
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : x > y ? 1 : 0
        case let (.float(x), _):
            guard let r = order(b, .float(x)) else { return nil }
            return -r
        case let (.int(x), .float(y)):
            // Every int of 53 bits or fewer is a float exactly.
            if x.magnitude <= 1 << 53 {
                if y.isNaN { return nil }
                let d = Double(x)
                return d < y ? -1 : d > y ? 1 : 0
            }
            return PyInt(x).compare(to: y)
        case let (.big(x), .float(y)): return x.compare(to: y)
        default:
            let x = integer(a)!, y = integer(b)!
            return x < y ? -1 : x > y ? 1 : 0
        }
    }

    /// `a == b` on numbers, exactly.
    static func numbersEqual(_ a: Number, _ b: Number) -> Bool { order(a, b) == 0 }

    /// `hash()` of a number: equal numbers of any type hash alike.
    static func hash(_ n: Number) -> Int {
        switch n {
        case .int(let i): return PythonHash.hash(i)
        case .big(let b): return PythonHash.hash(b)
        case .float(let d): return PythonHash.hash(d) ?? 0
        }
    }

    /// `[x] * n` and `"s" * n` within memory: Python's MemoryError, not a crash.
    static func checkRepeat(_ count: Int, _ n: Int) throws {
        let (total, overflow) = count.multipliedReportingOverflow(by: max(n, 0))
        guard !overflow else { throw Raise(type: "MemoryError", message: "") }
        try PythonError.checkLength(total)
    }

    /// `items * n`, in one allocation.
    static func repeated(_ items: [Value], _ n: Int) -> [Value] {
        if items.count == 1 { return [Value](repeating: items[0], count: max(n, 0)) }
        var out: [Value] = []
        out.reserveCapacity(items.count * max(n, 0))
        for _ in 0..<max(n, 0) { out.append(contentsOf: items) }
        return out
    }

    /// A sequence repeated a wider-than-64-bit number of times, either sign:
    /// CPython cannot turn the count into an index.
    static let repeatCountTooWide = Raise(type: "OverflowError", message: "cannot fit 'int' into an index-sized integer")

    static func binary(_ op: BinaryOp, _ lhs: Value, _ rhs: Value) throws -> Value {
        switch (op, lhs, rhs) {
        case let (.bitAnd, .bool(a), .bool(b)): return .bool(a && b)
        case let (.bitOr, .bool(a), .bool(b)): return .bool(a || b)
        case let (.bitXor, .bool(a), .bool(b)): return .bool(a != b)
        case let (.add, .string(a), .string(b)): return .string(a + b)
        case let (.add, .list(a), .list(b)): return .list(ListBox(a.items + b.items))
        case let (.add, .tuple(a), .tuple(b)): return .tuple(a + b)
        case let (.mul, .string(s), .int(n)), let (.mul, .int(n), .string(s)):
            try checkRepeat(s.count, n)
            return .string(String(repeating: s, count: max(n, 0)))
        case let (.mul, .list(a), .int(n)), let (.mul, .int(n), .list(a)):
            try checkRepeat(a.items.count, n)
            return .list(ListBox(repeated(a.items, n)))
        case let (.mul, .tuple(a), .int(n)), let (.mul, .int(n), .tuple(a)):
            try checkRepeat(a.count, n)
            return .tuple(repeated(a, n))
        case let (.mul, .list(a), .bool(b)), let (.mul, .bool(b), .list(a)):
            return .list(ListBox(b ? a.items : []))
        case (.mul, .string, .bigInt), (.mul, .bigInt, .string), (.mul, .list, .bigInt), (.mul, .bigInt, .list),
             (.mul, .tuple, .bigInt), (.mul, .bigInt, .tuple):
            throw repeatCountTooWide
        case (.add, .string, _):
            throw Raise.type("can only concatenate str (not \"\(rhs.typeName)\") to str")
        case (.add, .list, _):
            throw Raise.type("can only concatenate list (not \"\(rhs.typeName)\") to list")
        case (.add, .tuple, _):
            throw Raise.type("can only concatenate tuple (not \"\(rhs.typeName)\") to tuple")
        case (.mul, .string, _), (.mul, .list, _), (.mul, .tuple, _):
            throw Raise.type("can't multiply sequence by non-int of type '\(rhs.typeName)'")
        case (.mul, _, .string), (.mul, _, .list), (.mul, _, .tuple):
            throw Raise.type("can't multiply sequence by non-int of type '\(lhs.typeName)'")
        default: break
        }
        guard let a = number(lhs), let b = number(rhs) else {
            throw Raise.type("unsupported operand type(s) for \(op.rawValue): '\(lhs.typeName)' and '\(rhs.typeName)'")
        }
        if case .int(let x) = a, case .int(let y) = b {
            if let r = try intBinary(op, x, y) { return r }
            return try bigBinary(op, PyInt(x), PyInt(y))
        }
        if let x = integer(a), let y = integer(b) { return try bigBinary(op, x, y) }
        let x = try double(a), y = try double(b)
        switch op {
        case .add: return .float(x + y)
        case .sub: return .float(x - y)
        case .mul: return .float(x * y)
        case .div:
            guard y != 0 else { throw Raise(type: "ZeroDivisionError", message: "float division by zero") }
            return .float(x / y)
        case .floorDiv:
            guard y != 0 else { throw Raise(type: "ZeroDivisionError", message: "float floor division by zero") }
            return .float((x / y).rounded(.down))
        case .mod:
            guard y != 0 else { throw Raise(type: "ZeroDivisionError", message: "float modulo") }
            let r = x.truncatingRemainder(dividingBy: y)
            if r == 0 { return .float(Foundation.copysign(0, y)) }
            return .float((r < 0) != (y < 0) ? r + y : r)
        case .pow:
            if x == 0 && y < 0 { throw Raise(type: "ZeroDivisionError", message: "0.0 cannot be raised to a negative power") }
            if x < 0 && y.rounded() != y && y.isFinite {
                throw Raise.unsupported("a negative number to a fractional power is a complex number, which autograd-viz does not support")
            }
            let p = Foundation.pow(x, y)
            if p.isInfinite && x.isFinite && y.isFinite {
                throw Raise(type: "OverflowError", message: "", args: [.tuple([.int(34), .string("Numerical result out of range")])])
            }
            return .float(p)
        default:
            throw Raise.type("unsupported operand type(s) for \(op.rawValue): '\(lhs.typeName)' and '\(rhs.typeName)'")
        }
    }

    /// `x op y` on 64-bit ints, or nil when the result needs more bits.
    private static func intBinary(_ op: BinaryOp, _ x: Int, _ y: Int) throws -> Value? {
        func fits(_ r: (partialValue: Int, overflow: Bool)) -> Value? { r.overflow ? nil : .int(r.partialValue) }
        switch op {
        case .add: return fits(x.addingReportingOverflow(y))
        case .sub: return fits(x.subtractingReportingOverflow(y))
        case .mul: return fits(x.multipliedReportingOverflow(by: y))
        case .div:
            guard y != 0 else { throw Raise(type: "ZeroDivisionError", message: "division by zero") }
            // Both exact as floats: one correctly rounded division.
            guard x.magnitude <= 1 << 53, y.magnitude <= 1 << 53 else { return nil }
            return .float(Double(x) / Double(y))
        case .floorDiv:
            guard y != 0 else { throw Raise(type: "ZeroDivisionError", message: "integer division or modulo by zero") }
            guard x != .min || y != -1 else { return nil }
            let q = x / y
            return .int((x % y != 0 && (x < 0) != (y < 0)) ? q - 1 : q)
        case .mod:
            guard y != 0 else { throw Raise(type: "ZeroDivisionError", message: "integer modulo by zero") }
            guard y != -1 else { return .int(0) }
            let r = x % y
            return .int(r != 0 && (r < 0) != (y < 0) ? r + y : r)
        case .pow:
            guard y >= 0 else { return nil }
            var result = 1, base = x, e = y
            while e > 0 {
                if e & 1 == 1 {
                    let step = result.multipliedReportingOverflow(by: base)
                    guard !step.overflow else { return nil }
                    result = step.partialValue
                }
                e >>= 1
                if e > 0 {
                    let square = base.multipliedReportingOverflow(by: base)
                    guard !square.overflow else { return nil }
                    base = square.partialValue
                }
            }
            return .int(result)
        case .bitAnd: return .int(x & y)
        case .bitOr: return .int(x | y)
        case .bitXor: return .int(x ^ y)
        case .lShift:
            guard y >= 0 else { throw Raise.value("negative shift count") }
            guard y < 63, (x << y) >> y == x else { return nil }
            return .int(x << y)
        case .rShift:
            guard y >= 0 else { throw Raise.value("negative shift count") }
            return .int(x >> y)
        case .matMul: throw Raise.type("unsupported operand type(s) for @: 'int' and 'int'")
        }
    }

    /// `x op y` on ints of any size.
    private static func bigBinary(_ op: BinaryOp, _ x: PyInt, _ y: PyInt) throws -> Value {
        switch op {
        case .add: return .integer(x + y)
        case .sub: return .integer(x - y)
        case .mul: return .integer(try x * y)
        case .div:
            guard !y.isZero else { throw Raise(type: "ZeroDivisionError", message: "division by zero") }
            return .float(try x.trueDivided(by: y))
        case .floorDiv:
            guard !y.isZero else { throw Raise(type: "ZeroDivisionError", message: "integer division or modulo by zero") }
            return .integer(try x.floorDivided(by: y))
        case .mod:
            guard !y.isZero else { throw Raise(type: "ZeroDivisionError", message: "integer modulo by zero") }
            return .integer(try x.modulo(y))
        case .pow:
            switch try x.power(y) {
            case .int(let n): return .integer(n)
            case .float(let d): return .float(d)
            }
        case .bitAnd: return .integer(x & y)
        case .bitOr: return .integer(x | y)
        case .bitXor: return .integer(x ^ y)
        case .lShift:
            guard !y.negative else { throw Raise.value("negative shift count") }
            return .integer(try x.shiftedLeft(by: y))
        case .rShift:
            guard !y.negative else { throw Raise.value("negative shift count") }
            return .integer(try x.shiftedRight(by: y))
        case .matMul: throw Raise.type("unsupported operand type(s) for @: 'int' and 'int'")
        }
    }

    static func compare(_ op: CompareOp, _ lhs: Value, _ rhs: Value) throws -> Value {
        if let a = number(lhs), let b = number(rhs) {
            let r = order(a, b)
            switch op {
            case .lt: return .bool(r.map { $0 < 0 } ?? false)
            case .gt: return .bool(r.map { $0 > 0 } ?? false)
            case .le: return .bool(r.map { $0 <= 0 } ?? false)
            case .ge: return .bool(r.map { $0 >= 0 } ?? false)
            case .eq: return .bool(r == 0)
            case .ne: return .bool(r != 0)
            default: break
            }
        }
        if op == .eq || op == .ne {
            let same = equal(lhs, rhs)
            return .bool(op == .eq ? same : !same)
        }
        if case .string(let a) = lhs, case .string(let b) = rhs {
            switch op {
            case .lt: return .bool(a < b)
            case .gt: return .bool(a > b)
            case .le: return .bool(a <= b)
            case .ge: return .bool(a >= b)
            default: break
            }
        }
        throw Raise.type("'\(op.rawValue)' not supported between instances of '\(lhs.typeName)' and '\(rhs.typeName)'")
    }

    /// Python `==` on non-tensor values (sizes compare equal to tuples and lists).
    static func equal(_ a: Value, _ b: Value) -> Bool {
        func sequence(_ v: Value) -> [Value]? {
            switch v {
            case .tuple(let items): return items
            case .size(let dims): return dims.map(Value.int)
            default: return nil
            }
        }
        switch (a, b) {
        case (.none, .none): return true
        case let (.string(x), .string(y)): return x == y
        case let (.dtype(x), .dtype(y)): return x == y
        case let (.list(x), .list(y)): return x.items.count == y.items.count && zip(x.items, y.items).allSatisfy { equal($0, $1) }
        case let (.gradFn(x), .gradFn(y)): return x === y
        case let (.tensor(x), .tensor(y)): return x === y
        default:
            if let x = number(a), let y = number(b) { return numbersEqual(x, y) }
            if let x = sequence(a), let y = sequence(b) { return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) } }
            return false
        }
    }
}
