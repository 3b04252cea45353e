import Foundation

/// Arithmetic and comparison on Python ints, floats and bools (and `+`/`*`
/// on strings, lists and tuples), with Python's result types and messages.
enum PythonNumbers {
    enum Number { case int(Int), float(Double) }

    static func number(_ v: Value) -> Number? {
        switch v {
        case .int(let i): return .int(i)
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d): return .float(d)
        default: return nil
        }
    }

    static func double(_ n: Number) -> Double {
        switch n {
        case .int(let i): return Double(i)
        case .float(let d): return d
        }
    }

    /// `[x] * n` and `"s" * n` within memory: Python's MemoryError, not a crash.
    static func checkRepeat(_ count: Int, _ n: Int) throws {
        let (total, overflow) = count.multipliedReportingOverflow(by: max(n, 0))
        guard !overflow, total <= 1 << 26 else { throw Raise(type: "MemoryError", message: "") }
    }

    static func binary(_ op: BinaryOp, _ lhs: Value, _ rhs: Value) throws -> Value {
        switch (op, lhs, rhs) {
        case let (.add, .string(a), .string(b)): return .string(a + b)
        case let (.add, .list(a), .list(b)): return .list(ListBox(a.items + b.items))
        case let (.add, .tuple(a), .tuple(b)): return .tuple(a + b)
        case let (.mul, .string(s), .int(n)), let (.mul, .int(n), .string(s)):
            try checkRepeat(s.count, n)
            return .string(String(repeating: s, count: max(n, 0)))
        case let (.mul, .list(a), .int(n)), let (.mul, .int(n), .list(a)):
            try checkRepeat(a.items.count, n)
            return .list(ListBox(Array([[Value]](repeating: a.items, count: max(n, 0)).joined())))
        case let (.mul, .tuple(a), .int(n)), let (.mul, .int(n), .tuple(a)):
            try checkRepeat(a.count, n)
            return .tuple(Array([[Value]](repeating: a, count: max(n, 0)).joined()))
        case let (.mul, .list(a), .bool(b)), let (.mul, .bool(b), .list(a)):
            return .list(ListBox(b ? a.items : []))
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
        if case .int(let x) = a, case .int(let y) = b { return try intBinary(op, x, y) }
        let x = double(a), y = double(b)
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

    /// Python ints are unbounded; ours are 64-bit, so a result that does not
    /// fit is an error rather than a silently wrapped number.
    static let overflow = Raise.unsupported("integer results beyond 64 bits are not supported in model scripts")

    private static func checked(_ r: (partialValue: Int, overflow: Bool)) throws -> Value {
        guard !r.overflow else { throw overflow }
        return .int(r.partialValue)
    }

    private static func intBinary(_ op: BinaryOp, _ x: Int, _ y: Int) throws -> Value {
        switch op {
        case .add: return try checked(x.addingReportingOverflow(y))
        case .sub: return try checked(x.subtractingReportingOverflow(y))
        case .mul: return try checked(x.multipliedReportingOverflow(by: y))
        case .div:
            guard y != 0 else { throw Raise(type: "ZeroDivisionError", message: "division by zero") }
            return .float(Double(x) / Double(y))
        case .floorDiv:
            guard y != 0 else { throw Raise(type: "ZeroDivisionError", message: "integer division or modulo by zero") }
            let q = x / y
            return .int((x % y != 0 && (x < 0) != (y < 0)) ? q - 1 : q)
        case .mod:
            guard y != 0 else { throw Raise(type: "ZeroDivisionError", message: "integer modulo by zero") }
            let r = x % y
            return .int(r != 0 && (r < 0) != (y < 0) ? r + y : r)
        case .pow:
            if y < 0 {
                if x == 0 { throw Raise(type: "ZeroDivisionError", message: "0.0 cannot be raised to a negative power") }
                return .float(Foundation.pow(Double(x), Double(y)))
            }
            var result = 1
            for _ in 0..<y {
                let step = result.multipliedReportingOverflow(by: x)
                guard !step.overflow else { throw overflow }
                result = step.partialValue
                if result == 0 || result == 1 { break }
            }
            return .int(result)
        case .bitAnd: return .int(x & y)
        case .bitOr: return .int(x | y)
        case .bitXor: return .int(x ^ y)
        case .lShift:
            guard y >= 0 else { throw Raise.value("negative shift count") }
            guard y < 63, (x << y) >> y == x else { throw overflow }
            return .int(x << y)
        case .rShift:
            guard y >= 0 else { throw Raise.value("negative shift count") }
            return .int(x >> y)
        case .matMul: throw Raise.type("unsupported operand type(s) for @: 'int' and 'int'")
        }
    }

    static func compare(_ op: CompareOp, _ lhs: Value, _ rhs: Value) throws -> Value {
        if let a = number(lhs), let b = number(rhs) {
            let x = double(a), y = double(b)
            switch op {
            case .lt: return .bool(x < y)
            case .gt: return .bool(x > y)
            case .le: return .bool(x <= y)
            case .ge: return .bool(x >= y)
            case .eq: return .bool(x == y)
            case .ne: return .bool(x != y)
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
            if let x = number(a), let y = number(b) { return double(x) == double(y) }
            if let x = sequence(a), let y = sequence(b) { return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) } }
            return false
        }
    }
}
