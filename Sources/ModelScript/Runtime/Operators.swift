import Autograd

/// `NotImplemented`, what a binary dunder returns to let the other operand try.
final class NotImplementedValue: ScriptObject {
    static let shared = NotImplementedValue()
    private init() { super.init(typeName: "NotImplementedType") }
    override var repr: String { "NotImplemented" }
}

/// Unary, binary and comparison operators with Python's semantics: numbers,
/// strings and containers, tensors (with Python numbers as wrapped 0-d
/// tensors, as PyTorch takes them), and user objects through their dunder
/// methods (`__add__`, then the other operand's `__radd__`).
extension Interpreter {
    static func dunderName(_ op: BinaryOp) -> String {
        switch op {
        case .add: return "add"
        case .sub: return "sub"
        case .mul: return "mul"
        case .div: return "truediv"
        case .floorDiv: return "floordiv"
        case .mod: return "mod"
        case .pow: return "pow"
        case .matMul: return "matmul"
        case .bitOr: return "or"
        case .bitXor: return "xor"
        case .bitAnd: return "and"
        case .lShift: return "lshift"
        case .rShift: return "rshift"
        }
    }

    private static func isNotImplemented(_ v: Value) -> Bool {
        if case .object(let o) = v { return o === NotImplementedValue.shared }
        return false
    }

    /// A Python number or bool as the wrapped 0-d tensor an op sees.
    func tensorOperand(_ value: Value, like t: Tensor) throws -> Tensor {
        switch value {
        case .tensor(let other): return other
        case .int(let i): return Tensor.wrapped(t.runtime, Double(i), dtype: .int64)
        case .float(let d): return Tensor.wrapped(t.runtime, d, dtype: .float64)
        case .bool(let b): return Tensor.wrapped(t.runtime, b ? 1 : 0, dtype: .bool)
        case .bigInt: throw Raise(type: "OverflowError", message: "int too big to convert")
        default: throw Raise.type("unsupported operand type(s): 'Tensor' and '\(typeName(of: value))'")
        }
    }

    func unary(_ op: UnaryOp, _ operand: Value) throws -> Value {
        switch (op, operand) {
        case (.minus, .int(let i)):
            guard i != .min else { return .bigInt(-PyInt(i)) }
            return .int(-i)
        case (.minus, .bigInt(let n)): return .integer(-n)
        case (.plus, .bigInt): return operand
        case (.invert, .bigInt(let n)): return .integer(-n - PyInt(1))
        case (.minus, .float(let d)): return .float(-d)
        case (.minus, .bool(let b)): return .int(b ? -1 : 0)
        case (.minus, .tensor(let t)): return .tensor(try t.neg())
        case (.plus, .int), (.plus, .float), (.plus, .tensor): return operand
        case (.plus, .bool(let b)): return .int(b ? 1 : 0)
        case (.invert, .int(let i)): return .int(~i)
        case (.invert, .bool(let b)): return .int(b ? -2 : -1)
        case (.invert, .tensor(let t)):
            guard t.dtype == .bool else { throw Raise.unsupported("'~' on non-bool tensors is not supported by autograd-viz") }
            return .tensor(t.logicalNot())
        case (_, .object):
            let name = op == .minus ? "__neg__" : op == .plus ? "__pos__" : "__invert__"
            if let method = lookupSpecial(operand, name) { return try call(method, [], []) }
            fallthrough
        default:
            throw Raise.type("bad operand type for unary \(op.rawValue): '\(typeName(of: operand))'")
        }
    }

    func binary(_ op: BinaryOp, _ lhs: Value, _ rhs: Value) throws -> Value {
        if op == .mod, case .string(let template) = lhs { return .string(try percentFormat(template, rhs)) }
        switch (lhs, rhs) {
        case (.object, _), (_, .object):
            if let result = try dunderBinary(op, lhs, rhs) { return result }
        default: break
        }
        if case .tensor(let a) = lhs { return .tensor(try tensorBinary(op, a, rhs, reflected: false)) }
        if case .tensor(let b) = rhs { return .tensor(try tensorBinary(op, b, lhs, reflected: true)) }
        if op == .mod, case .string(let template) = lhs { return .string(try percentFormat(template, rhs)) }
        return try PythonNumbers.binary(op, lhs, rhs)
    }

    /// `lhs op rhs` through user dunders and the dict and set operators;
    /// nil when neither side handles it.
    private func dunderBinary(_ op: BinaryOp, _ lhs: Value, _ rhs: Value) throws -> Value? {
        switch (op, lhs, rhs) {
        case (.add, .object(let a as DictObject), .object(let b as DictObject)) where a.typeName == "Counter",
             (.sub, .object(let a as DictObject), .object(let b as DictObject)) where a.typeName == "Counter":
            // Counter arithmetic keeps only positive counts.
            let out = DictObject(typeName: "Counter")
            for (k, v) in a.items {
                let r = try binary(op, v, try b.get(k) ?? .int(0))
                if try truthValue(compare(.gt, r, .int(0))) { try out.set(k, r) }
            }
            if op == .add {
                for (k, v) in b.items where try a.get(k) == nil {
                    if try truthValue(compare(.gt, v, .int(0))) { try out.set(k, v) }
                }
            }
            return .object(out)
        case (.bitOr, .object(let a as DictObject), .object(let b as DictObject)):
            let out = a.copy()
            for (k, v) in b.items { try out.set(k, v) }
            return .object(out)
        case (_, .object(let a as SetObject), .object(let b as SetObject)):
            switch op {
            case .bitOr: return .object(try a.union([a.operand(b)]))
            case .bitAnd: return .object(try a.intersection([a.operand(b)]))
            case .sub: return .object(try a.difference([a.operand(b)]))
            case .bitXor: return .object(try a.symmetricDifference(a.operand(b)))
            default: return nil
            }
        default: break
        }
        let name = Self.dunderName(op)
        if let method = lookupSpecial(lhs, "__\(name)__") {
            let result = try call(method, [rhs], [])
            if !Self.isNotImplemented(result) { return result }
        }
        if let method = lookupSpecial(rhs, "__r\(name)__") {
            let result = try call(method, [lhs], [])
            if !Self.isNotImplemented(result) { return result }
        }
        if case .tensor = lhs {} else if case .tensor = rhs {} else {
            throw Raise.type("unsupported operand type(s) for \(op.rawValue): '\(typeName(of: lhs))' and '\(typeName(of: rhs))'")
        }
        return nil
    }

    /// `a op b` with `a` a tensor; `reflected` when the tensor was on the
    /// right (`2 * a` → `a.__rmul__(2)`).
    private func tensorBinary(_ op: BinaryOp, _ t: Tensor, _ other: Value, reflected: Bool) throws -> Tensor {
        switch other {
        case .tensor, .int, .bigInt, .float, .bool: break
        default:
            let (l, r) = reflected ? (typeName(of: other), "Tensor") : ("Tensor", typeName(of: other))
            throw Raise.type("unsupported operand type(s) for \(op.rawValue): '\(l)' and '\(r)'")
        }
        return try tensorBinary(op, t, tensorOperand(other, like: t), reflected: reflected)
    }

    private func tensorBinary(_ op: BinaryOp, _ t: Tensor, _ o: Tensor, reflected: Bool) throws -> Tensor {
        switch (op, reflected) {
        case (.add, _): return try t.add(o)
        case (.sub, false): return try t.sub(o)
        case (.sub, true): return o.isWrappedNumber ? try t.rsub(o) : try o.sub(t)
        case (.mul, _): return try t.mul(o)
        case (.div, false): return try t.div(o)
        case (.div, true): return o.isWrappedNumber ? try t.rdiv(o) : try o.div(t)
        case (.pow, false): return try t.pow(o)
        case (.pow, true): return o.isWrappedNumber ? try t.rpow(o) : try o.pow(t)
        case (.matMul, false): return try t.matmul(o)
        case (.matMul, true): return try o.matmul(t)
        case (.bitAnd, _) where t.dtype == .bool && o.dtype == .bool: return try t.logicalAnd(o)
        case (.bitOr, _) where t.dtype == .bool && o.dtype == .bool: return try t.logicalOr(o)
        default:
            throw Raise.unsupported("the operator '\(op.rawValue)' on tensors is not supported by autograd-viz")
        }
    }

    func compare(_ op: CompareOp, _ lhs: Value, _ rhs: Value) throws -> Value {
        switch op {
        case .is: return .bool(identical(lhs, rhs))
        case .isNot: return .bool(!identical(lhs, rhs))
        case .in, .notIn:
            let found = try contains(rhs, lhs)
            return .bool(op == .in ? found : !found)
        default: break
        }
        // `t == None` is plain Python identity, not an elementwise compare.
        if case .none = rhs, op == .eq || op == .ne { return .bool(op == .eq ? identical(lhs, rhs) : !identical(lhs, rhs)) }
        if case .none = lhs, op == .eq || op == .ne { return .bool(op == .eq ? identical(lhs, rhs) : !identical(lhs, rhs)) }
        if case .object = lhs, let result = try dunderCompare(op, lhs, rhs) { return result }
        if case .object = rhs, let result = try dunderCompare(op, lhs, rhs) { return result }
        if case .tensor(let a) = lhs { return .tensor(try tensorCompare(op, a, try tensorOperand(rhs, like: a))) }
        if case .tensor(let b) = rhs {
            let mirrored: CompareOp = [.lt: .gt, .gt: .lt, .le: .ge, .ge: .le][op] ?? op
            return .tensor(try tensorCompare(mirrored, b, try tensorOperand(lhs, like: b)))
        }
        switch op {
        case .eq: return .bool(try equals(lhs, rhs))
        case .ne: return .bool(!(try equals(lhs, rhs)))
        default: return .bool(try less(op, lhs, rhs))
        }
    }

    private static let reflectedCompare: [CompareOp: String] = [.lt: "__gt__", .gt: "__lt__", .le: "__ge__", .ge: "__le__", .eq: "__eq__", .ne: "__ne__"]
    private static let compareDunder: [CompareOp: String] = [.lt: "__lt__", .gt: "__gt__", .le: "__le__", .ge: "__ge__", .eq: "__eq__", .ne: "__ne__"]

    private func dunderCompare(_ op: CompareOp, _ lhs: Value, _ rhs: Value) throws -> Value? {
        if let name = Self.compareDunder[op], let method = lookupSpecial(lhs, name) {
            let result = try call(method, [rhs], [])
            if !Self.isNotImplemented(result) { return result }
        }
        if let name = Self.reflectedCompare[op], let method = lookupSpecial(rhs, name) {
            let result = try call(method, [lhs], [])
            if !Self.isNotImplemented(result) { return result }
        }
        if op == .ne, lookupSpecial(lhs, "__eq__") != nil || lookupSpecial(rhs, "__eq__") != nil {
            return .bool(!(try truthValue(compare(.eq, lhs, rhs))))
        }
        return nil
    }

    private func tensorCompare(_ op: CompareOp, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        switch op {
        case .eq: return try a.eq(b)
        case .ne: return try a.ne(b)
        case .lt: return try a.lt(b)
        case .le: return try a.le(b)
        case .gt: return try a.gt(b)
        case .ge: return try a.ge(b)
        default: throw Raise.type("unsupported comparison")
        }
    }

    /// Python `==` on values that are not tensors.
    func equals(_ a: Value, _ b: Value) throws -> Bool {
        switch (a, b) {
        case (.list, .list), (.tuple, .tuple), (.object, .object):
            return try nested("in comparison") { try equalValues(a, b) }
        default:
            return try equalValues(a, b)
        }
    }

    private func equalValues(_ a: Value, _ b: Value) throws -> Bool {
        if case .object = a, let r = try dunderCompare(.eq, a, b) { return try truthValue(r) }
        if case .object = b, let r = try dunderCompare(.eq, a, b) { return try truthValue(r) }
        switch (a, b) {
        case let (.list(x), .list(y)): return try sequencesEqual(x.items, y.items)
        case let (.object(x as DictObject), .object(y as DictObject)):
            guard x.count == y.count else { return false }
            // Two OrderedDicts compare their order too.
            if x.typeName == "OrderedDict" && y.typeName == "OrderedDict" {
                return try sequencesEqual(x.keys, y.keys) && sequencesEqual(x.items.map(\.1), y.items.map(\.1))
            }
            for (k, v) in x.items {
                // PyObject_RichCompareBool: the same object is equal without a comparison.
                guard let w = try y.get(k), try identical(v, w) || equals(v, w) else { return false }
            }
            return true
        case let (.object(x as SetObject), .object(y as SetObject)):
            guard x.count == y.count else { return false }
            return try x.items.allSatisfy { try y.contains($0) }
        case (.tensor, _), (_, .tensor):
            return try truthValue(compare(.eq, a, b))
        case let (.tuple(x), .tuple(y)): return try sequencesEqual(x, y)
        case let (.size(x), .tuple(y)), let (.tuple(y), .size(x)): return try sequencesEqual(x.map(Value.int), y)
        case let (.range(a1, b1, s1), .range(a2, b2, s2)): return Interpreter.rangesEqual((a1, b1, s1), (a2, b2, s2))
        case let (.object(x as DequeObject), .object(y as DequeObject)): return try sequencesEqual(x.box.items, y.box.items)
        case let (.object(x as SliceValue), .object(y as SliceValue)):
            return try equals(.tuple([x.start, x.stop, x.step]), .tuple([y.start, y.stop, y.step]))
        case let (.object(x), .object(y)) where !(x is DictObject) && !(x is SetObject): return x === y
        default: return PythonNumbers.equal(a, b)
        }
    }

    private func sequencesEqual(_ x: [Value], _ y: [Value]) throws -> Bool {
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) where !identical(p, q) {
            guard try equals(p, q) else { return false }
        }
        return true
    }

    /// `<`, `>`, `<=`, `>=` on numbers, strings and sequences.
    func less(_ op: CompareOp, _ lhs: Value, _ rhs: Value) throws -> Bool {
        try nested("in comparison") { try ordered(op, lhs, rhs) }
    }

    private func ordered(_ op: CompareOp, _ lhs: Value, _ rhs: Value) throws -> Bool {
        func sequence(_ v: Value) -> [Value]? {
            switch v {
            case .list(let box): return box.items
            case .tuple(let items): return items
            case .size(let dims): return dims.map(Value.int)
            default: return nil
            }
        }
        let sameKind: Bool = {
            switch (lhs, rhs) {
            case (.list, .list), (.tuple, .tuple), (.size, .size), (.size, .tuple), (.tuple, .size): return true
            default: return false
            }
        }()
        if sameKind, let x = sequence(lhs), let y = sequence(rhs) {
            for (p, q) in zip(x, y) where !(try equals(p, q)) {
                return try less(op, p, q)
            }
            switch op {
            case .lt: return x.count < y.count
            case .le: return x.count <= y.count
            case .gt: return x.count > y.count
            default: return x.count >= y.count
            }
        }
        if case .object = lhs, let r = try dunderCompare(op, lhs, rhs) { return try truthValue(r) }
        if case .object = rhs, let r = try dunderCompare(op, lhs, rhs) { return try truthValue(r) }
        if case .object(let a as SetObject) = lhs, case .object(let b as SetObject) = rhs {
            switch op {
            case .le: return try a.isSubset(of: b)
            case .lt: return try a.isSubset(of: b) && a.count < b.count
            case .ge: return try b.isSubset(of: a)
            default: return try b.isSubset(of: a) && b.count < a.count
            }
        }
        guard case .bool(let r) = try PythonNumbers.compare(op, lhs, rhs) else { return false }
        return r
    }

    /// `item in container`.
    func contains(_ container: Value, _ item: Value) throws -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let sub) = item else {
                throw Raise.type("'in <string>' requires string as left operand, not \(typeName(of: item))")
            }
            return sub.isEmpty || s.contains(sub)
        case .object(let d as DictObject): return try d.get(item) != nil
        case .object(let s as SetObject): return try s.contains(item)
        case .range(let a, let b, let step):
            guard case .int(let i) = item else { break }
            return step > 0 ? (i >= a && i < b && (i - a) % step == 0) : (i <= a && i > b && (a - i) % (-step) == 0)
        case .object:
            if let method = lookupSpecial(container, "__contains__") { return try truthValue(call(method, [item], [])) }
        default: break
        }
        var found = false
        try forEach(container, at: nil) { element in
            if self.identical(element, item) { found = true; return false }
            if try self.truthValue(self.compare(.eq, item, element)) { found = true; return false }
            return true
        }
        return found
    }

    /// `PyObject_RichCompareBool(a, b, Py_EQ)`: identity first, then `==`
    /// (what `list.index`, `count` and `remove` compare with).
    func identicalOrEqual(_ a: Value, _ b: Value) throws -> Bool {
        try identical(a, b) || equals(a, b)
    }

    /// Python's `is`.
    func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case let (.tensor(x), .tensor(y)): return x === y
        case let (.gradFn(x), .gradFn(y)): return x === y
        case let (.list(x), .list(y)): return x === y
        case let (.bool(x), .bool(y)): return x == y
        // Floats are values here: the same bits stand for the same object,
        // so an alias is itself (`n is n`, `n in [n]` for a NaN n), as in
        // CPython; two floats made apart are `is` too where CPython's are not.
        case let (.float(x), .float(y)): return x.bitPattern == y.bitPattern
        case let (.int(x), .int(y)): return x == y && (-5...256).contains(x)
        case let (.dtype(x), .dtype(y)): return x == y
        case let (.module(x), .module(y)): return x == y
        case let (.object(x), .object(y)): return x === y
        case let (.function(x), .function(y)): return x === y
        case (.ellipsis, .ellipsis): return true
        // String constants are shared, as CPython interns them.
        case let (.string(x), .string(y)): return x == y
        default: return false
        }
    }
}
