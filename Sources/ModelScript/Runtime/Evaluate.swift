import Autograd

/// Expressions: literals, names, operators with Python's semantics, calls,
/// attributes and subscripts. Errors get the position of the expression that
/// raised them, the innermost first, as Python's traceback shows.
extension Interpreter {
    func evaluate(_ expr: Expr) throws -> Value {
        switch expr.kind {
        case .int(let v): return .int(v)
        case .float(let v): return .float(v)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .none: return .none
        case .ellipsis: return .ellipsis
        case .name(let name, _): return try lookup(name, at: expr.location)
        case .tuple(let items): return .tuple(try items.map(evaluate))
        case .list(let items): return .list(ListBox(try items.map(evaluate)))
        case .dict:
            throw ScriptError.unsupported("dict literals are not supported in model scripts", expr.location)
        case .slice(let lower, let upper, let step):
            func bound(_ e: Expr?) throws -> Int? {
                guard let e else { return nil }
                switch try evaluate(e) {
                case .int(let i): return i
                case .none: return nil
                case let other:
                    throw ScriptError.raised(type: "TypeError", message: "slice indices must be integers or None or have an __index__ method, not \(other.typeName)", e.location)
                }
            }
            return .object(SliceValue(start: try bound(lower), stop: try bound(upper), step: try bound(step)))
        case .attribute(let objectExpr, let name):
            let object = try evaluate(objectExpr)
            do { return try getAttribute(object, name) } catch { throw ScriptError.located(error, at: expr.location) }
        case .call(let calleeExpr, let argExprs, let keywords):
            return try evaluateCall(expr, calleeExpr, argExprs, keywords)
        case .subscript(let objectExpr, let indexExpr):
            let object = try evaluate(objectExpr)
            let index = try evaluate(indexExpr)
            do { return try getItem(object, index) } catch { throw ScriptError.located(error, at: expr.location) }
        case .unary(let op, let operandExpr):
            let operand = try evaluate(operandExpr)
            do { return try unary(op, operand) } catch { throw ScriptError.located(error, at: expr.location) }
        case .binary(let op, let lhsExpr, let rhsExpr):
            let lhs = try evaluate(lhsExpr), rhs = try evaluate(rhsExpr)
            do { return try binary(op, lhs, rhs) } catch { throw ScriptError.located(error, at: expr.location) }
        case .compare(let first, let links):
            var left = try evaluate(first)
            var result: Value = .bool(true)
            for link in links {
                let right = try evaluate(link.right)
                do { result = try compare(link.op, left, right) } catch { throw ScriptError.located(error, at: expr.location) }
                if links.count > 1, !(try truth(result, at: expr.location)) { return result }
                left = right
            }
            return result
        case .boolean(let op, let operands):
            var value: Value = .none
            for operand in operands {
                value = try evaluate(operand)
                let t = try truth(value, at: expr.location)
                if (op == .and && !t) || (op == .or && t) { return value }
            }
            return value
        case .not(let operandExpr):
            return .bool(!(try truth(evaluate(operandExpr), at: expr.location)))
        case .conditional(let then, let test, let orElse):
            return try truth(evaluate(test), at: expr.location) ? evaluate(then) : evaluate(orElse)
        case .lambda(let function):
            let params = function.parameters.regular.map(\.name)
            guard case .returnStmt(let returned?)? = function.body.first?.kind else { return .none }
            let body = returned
            return .function(Function("<lambda>") { [unowned self] args, kwargs in
                guard kwargs.isEmpty, args.count == params.count else {
                    throw Raise.type("<lambda>() takes \(params.count) positional argument\(params.count == 1 ? "" : "s") but \(args.count) were given")
                }
                // Lambdas see the globals with their parameters bound on top
                // (model scripts have no other scopes).
                // Python's recursion limit: a lambda that calls itself forever
                // raises instead of overflowing the interpreter's stack.
                guard self.callDepth < Interpreter.maxCallDepth else {
                    throw Raise(type: "RecursionError", message: "maximum recursion depth exceeded")
                }
                self.callDepth += 1
                defer { self.callDepth -= 1 }
                let saved = params.map { self.globals[$0] }
                for (p, a) in zip(params, args) { self.globals[p] = a }
                defer { for (p, old) in zip(params, saved) { self.globals[p] = old } }
                return try self.evaluate(body)
            })
        default:
            throw ScriptError.unsupported("not yet", expr.location)
        }
    }

    private func evaluateCall(_ expr: Expr, _ calleeExpr: Expr, _ argExprs: [Expr], _ keywords: [Keyword]) throws -> Value {
        // `t.method(...)` and `torch.function(...)` call the method directly,
        // without first making the bound method object that `t.method` alone
        // evaluates to (an allocation per call, for the commonest calls in a
        // loop). What runs, and where errors point, is the same: the call
        // and its callee share their position, the leftmost token.
        var direct: DirectCall?
        var callee = Value.none
        if case .attribute(let objectExpr, let name) = calleeExpr.kind {
            let object = try evaluate(objectExpr)
            switch object {
            case .tensor(let t) where Interpreter.tensorMethods.contains(name):
                direct = .tensorMethod(t, name)
            case .module(let module) where moduleConstant(module, name) == nil:
                direct = .moduleFunction(module, name)
            default:
                do { callee = try getAttribute(object, name) } catch { throw ScriptError.located(error, at: calleeExpr.location) }
            }
        } else {
            callee = try evaluate(calleeExpr)
        }
        let args = try argExprs.map(evaluate)
        let kwargs = try keywords.map { ($0.name ?? "", try evaluate($0.value)) }
        if let direct {
            do {
                switch direct {
                case .tensorMethod(let t, let name): return try callTensorMethod(t, name, args, kwargs)
                case .moduleFunction(let module, let name): return try callModuleFunction(module, name, args, kwargs)
                }
            } catch {
                throw ScriptError.located(error, at: expr.location)
            }
        }
        if case .object(let o as ModuleObject) = callee {
            do {
                return try callModule(o.module, args, kwargs, callee: calleeExpr)
            } catch {
                throw ScriptError.located(error, at: expr.location)
            }
        }
        guard case .function(let function) = callee else {
            throw ScriptError.raised(type: "TypeError", message: "'\(callee.typeName)' object is not callable", expr.location)
        }
        do {
            return try function.call(args, kwargs)
        } catch {
            throw ScriptError.located(error, at: expr.location)
        }
    }

    // MARK: Truth and iteration

    // A truth test that raises (a tensor of several elements) is reported
    // where CPython reports it: at the whole `not`/`and`/`if … else`
    // expression, or at the start of an `if`/`assert` statement.

    func truth(_ value: Value, at location: SourceLocation) throws -> Bool {
        do { return try truthValue(value) } catch { throw ScriptError.located(error, at: location) }
    }

    func truthValue(_ value: Value) throws -> Bool {
        switch value {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .tensor(let t):
            guard t.numel == 1 else {
                throw t.numel == 0
                    ? Raise.runtime("Boolean value of Tensor with no values is ambiguous")
                    : Raise.runtime("Boolean value of Tensor with more than one value is ambiguous")
            }
            return try t.item() != 0
        case .list(let box): return !box.items.isEmpty
        case .tuple(let items): return !items.isEmpty
        case .size(let dims): return !dims.isEmpty
        case .range(let a, let b, let s): return s > 0 ? a < b : a > b
        default: return true
        }
    }

    func iterate(_ value: Value, at location: SourceLocation) throws -> [Value] {
        do { return try items(of: value) } catch { throw ScriptError.located(error, at: location) }
    }

    /// The elements of an iterable; the caller gives the error its position.
    func items(of value: Value) throws -> [Value] {
        switch value {
        case .list(let box): return box.items
        case .tuple(let items): return items
        case .size(let dims): return dims.map(Value.int)
        case .range(let a, let b, let s): return Swift.stride(from: a, to: b, by: s).map(Value.int)
        case .string(let s): return s.map { .string(String($0)) }
        case .namedTuple(_, let fields): return fields.map(\.1)
        case .tensor(let t):
            guard t.rank > 0 else { throw Raise.type("iteration over a 0-d tensor") }
            return try (0..<t.shape[0]).map { .tensor(try t.select(0, $0)) }
        case .object(let g as GeneratorObject): return g.drain()
        case .object(let o as ModuleObject) where o.module is Sequential:
            return o.module.children.map { moduleValue($0.module) }
        default:
            throw Raise.type("'\(value.typeName)' object is not iterable")
        }
    }

    // MARK: Operators

    /// A Python number or bool as the wrapped 0-d tensor an op sees.
    func tensorOperand(_ value: Value, like t: Tensor) throws -> Tensor {
        switch value {
        case .tensor(let other): return other
        case .int(let i): return Tensor.wrapped(t.runtime, Double(i), dtype: .int64)
        case .float(let d): return Tensor.wrapped(t.runtime, d, dtype: .float64)
        case .bool(let b): return Tensor.wrapped(t.runtime, b ? 1 : 0, dtype: .bool)
        default: throw Raise.type("unsupported operand type(s): 'Tensor' and '\(value.typeName)'")
        }
    }

    func unary(_ op: UnaryOp, _ operand: Value) throws -> Value {
        switch (op, operand) {
        case (.minus, .int(let i)): return .int(-i)
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
        default:
            throw Raise.type("bad operand type for unary \(op.rawValue): '\(operand.typeName)'")
        }
    }

    func binary(_ op: BinaryOp, _ lhs: Value, _ rhs: Value) throws -> Value {
        if case .tensor(let a) = lhs { return .tensor(try tensorBinary(op, a, rhs, reflected: false)) }
        if case .tensor(let b) = rhs { return .tensor(try tensorBinary(op, b, lhs, reflected: true)) }
        return try PythonNumbers.binary(op, lhs, rhs)
    }

    /// `a op b` with `a` a tensor; `reflected` when the tensor was on the
    /// right (`2 * a` → `a.__rmul__(2)`).
    private func tensorBinary(_ op: BinaryOp, _ t: Tensor, _ other: Value, reflected: Bool) throws -> Tensor {
        guard case .tensor = other, true else {
            switch other {
            case .int, .float, .bool: break
            default:
                let (l, r) = reflected ? (other.typeName, "Tensor") : ("Tensor", other.typeName)
                throw Raise.type("unsupported operand type(s) for \(op.rawValue): '\(l)' and '\(r)'")
            }
            return try tensorBinary(op, t, tensorOperand(other, like: t), reflected: reflected)
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
            let items = try self.items(of: rhs)
            let found = try items.contains { try truthValue(compare(.eq, lhs, $0)) }
            return .bool(op == .in ? found : !found)
        default: break
        }
        // `t == None` is plain Python identity, not an elementwise compare.
        if case .none = rhs, op == .eq || op == .ne { return .bool(op == .eq ? identical(lhs, rhs) : !identical(lhs, rhs)) }
        if case .none = lhs, op == .eq || op == .ne { return .bool(op == .eq ? identical(lhs, rhs) : !identical(lhs, rhs)) }
        if case .tensor(let a) = lhs { return .tensor(try tensorCompare(op, a, try tensorOperand(rhs, like: a))) }
        if case .tensor(let b) = rhs {
            let mirrored: CompareOp = [.lt: .gt, .gt: .lt, .le: .ge, .ge: .le][op] ?? op
            return .tensor(try tensorCompare(mirrored, b, try tensorOperand(lhs, like: b)))
        }
        return try PythonNumbers.compare(op, lhs, rhs)
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

    /// Python's `is`.
    func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case let (.tensor(x), .tensor(y)): return x === y
        case let (.gradFn(x), .gradFn(y)): return x === y
        case let (.list(x), .list(y)): return x === y
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y && (-5...256).contains(x)
        case let (.dtype(x), .dtype(y)): return x == y
        case let (.module(x), .module(y)): return x == y
        case let (.object(x), .object(y)): return x === y
        case let (.function(x), .function(y)): return x === y
        default: return false
        }
    }
}

/// A call of an attribute made without the bound method object (see
/// `evaluateCall`).
private enum DirectCall {
    case tensorMethod(Tensor, String)
    case moduleFunction(String, String)
}
