import Autograd

/// Expressions: literals, names, operators with Python's semantics, calls,
/// attributes and subscripts. Errors get the position of the expression that
/// raised them, the innermost first, as Python's traceback shows.
extension Interpreter {
    func evaluate(_ expr: Expr, _ frame: Frame) throws -> Value {
        switch expr.kind {
        case .int(let v): return .int(v)
        case .bigInt(let v): return .bigInt(v)
        case .float(let v): return .float(v)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .none: return .none
        case .ellipsis: return .ellipsis
        case .name(let name, let ref): return try load(name, ref, frame, at: expr.location)
        case .formatted(let parts): return .string(try formatted(parts, frame))
        case .tuple(let items): return .tuple(try elements(items, frame))
        case .list(let items): return .list(ListBox(try elements(items, frame)))
        case .set(let items):
            do {
                let entries = try elements(items, frame).map(SetObject.entry)
                // CPython compiles a display of more than two constants to a
                // frozenset constant, which fixes its order differently.
                let table = try SetObject.Table.display(entries, allLiterals: items.allSatisfy(\.isConstant), equal: SetObject.equal)
                return .object(SetObject(table: table))
            } catch {
                throw located(error, at: expr.location)
            }
        case .dict(let items):
            let dict = DictObject()
            for item in items {
                if let keyExpr = item.key {
                    let key = try evaluate(keyExpr, frame)
                    let value = try evaluate(item.value, frame)
                    do { try dict.set(key, value) } catch { throw located(error, at: keyExpr.location) }
                } else {
                    let mapping = try evaluate(item.value, frame)
                    do { try dict.update(from: mapping, self) } catch { throw located(error, at: item.value.location) }
                }
            }
            return .object(dict)
        case .starred:
            throw ScriptError.syntax("can't use starred expression here", expr.location)
        case .slice(let lower, let upper, let step):
            return .object(SliceValue(start: try lower.map { try evaluate($0, frame) } ?? .none,
                                      stop: try upper.map { try evaluate($0, frame) } ?? .none,
                                      step: try step.map { try evaluate($0, frame) } ?? .none))
        case .attribute(let objectExpr, let name):
            let object = try evaluate(objectExpr, frame)
            do { return try getAttribute(object, name) } catch { throw located(error, at: expr.location) }
        case .call(let calleeExpr, let argExprs, let keywords):
            return try evaluateCall(expr, calleeExpr, argExprs, keywords, frame)
        case .subscript(let objectExpr, let indexExpr):
            let object = try evaluate(objectExpr, frame)
            let index = try evaluate(indexExpr, frame)
            do { return try getItem(object, index) } catch { throw located(error, at: expr.location) }
        case .unary(let op, let operandExpr):
            let operand = try evaluate(operandExpr, frame)
            do { return try unary(op, operand) } catch { throw located(error, at: expr.location) }
        case .binary(let op, let lhsExpr, let rhsExpr):
            let lhs = try evaluate(lhsExpr, frame), rhs = try evaluate(rhsExpr, frame)
            do { return try binary(op, lhs, rhs) } catch { throw located(error, at: expr.location) }
        case .compare(let first, let links):
            var left = try evaluate(first, frame)
            var result: Value = .bool(true)
            for link in links {
                let right = try evaluate(link.right, frame)
                do { result = try compare(link.op, left, right) } catch { throw located(error, at: expr.location) }
                if links.count > 1, !(try truth(result, at: expr.location)) { return result }
                left = right
            }
            return result
        case .boolean(let op, let operands):
            var value: Value = .none
            for operand in operands {
                value = try evaluate(operand, frame)
                let t = try truth(value, at: expr.location)
                if (op == .and && !t) || (op == .or && t) { return value }
            }
            return value
        case .not(let operandExpr):
            return .bool(!(try truth(evaluate(operandExpr, frame), at: expr.location)))
        case .conditional(let then, let test, let orElse):
            return try truth(evaluate(test, frame), at: expr.location) ? evaluate(then, frame) : evaluate(orElse, frame)
        case .lambda(let definition):
            return try makeFunction(definition, frame)
        case .comprehension(let comprehension):
            do {
                return try evaluateComprehension(comprehension, frame, at: expr.location)
            } catch let e as PyException {
                // Raised in the comprehension's frame: this frame was running it.
                e.arrived(atDepth: frames.count - 1, expr.location)
                throw e
            }
        case .namedExpr(let target, let valueExpr):
            let value = try evaluate(valueExpr, frame)
            try assign(target, value, frame)
            return value
        case .yield(let valueExpr):
            let value = try valueExpr.map { try evaluate($0, frame) } ?? .none
            guard let generator = frame.generator else {
                throw ScriptError.syntax("'yield' outside function", expr.location)
            }
            return try generator.yield(value)
        case .yieldFrom(let iterableExpr):
            let iterable = try evaluate(iterableExpr, frame)
            guard let generator = frame.generator else {
                throw ScriptError.syntax("'yield' outside function", expr.location)
            }
            let iterator = try makeIterator(iterable, at: iterableExpr.location)
            // Values sent to this generator go on to the inner one.
            guard let inner = iterator as? GeneratorObject else {
                while let item = try iterator.next() { _ = try generator.yield(item) }
                return .none
            }
            var sent: Value = .none
            while let item = try inner.send(sent) { sent = try generator.yield(item) }
            return inner.takeReturnValue()
        }
    }

    /// `__class__` inside a method: its class body's cell, as CPython's
    /// compiler makes it a free variable of every function in a class.
    private func classCellValue(_ cell: ClassCell, at location: SourceLocation) throws -> Value {
        guard let cls = cell.cls else {
            throw raise("NameError", "cannot access free variable '__class__' where it is not associated with a value in enclosing scope", at: location)
        }
        return .object(cls)
    }

    /// A name's value, from the slot the resolver gave it.
    @inline(__always)
    func load(_ name: String, _ ref: NameRef, _ frame: Frame, at location: SourceLocation) throws -> Value {
        switch ref {
        case .local(let i):
            if let v = frame.locals[i] { return v }
            throw raise("UnboundLocalError", "cannot access local variable '\(name)' where it is not associated with a value", at: location)
        case .cell(let i):
            if let v = frame.cells[i].value { return v }
            if let function = frame.function, i >= function.definition.scope.ownCells {
                throw raise("NameError", "cannot access free variable '\(name)' where it is not associated with a value in enclosing scope", at: location)
            }
            throw raise("UnboundLocalError", "cannot access local variable '\(name)' where it is not associated with a value", at: location)
        case .global(let i):
            if let v = globalValues[i] { return v }
            if name == "__class__", let cell = frame.function?.classCell { return try classCellValue(cell, at: location) }
            if let v = builtin(named: name) { return v }
            throw raise("NameError", "name '\(name)' is not defined", at: location)
        case .classLocal(let i, let fallback):
            if let v = frame.locals[i] { return v }
            return try load(name, fallback, frame, at: location)
        case .unresolved:
            preconditionFailure("unresolved name '\(name)'")
        }
    }

    /// The elements of a display, with `*iterable` spread out.
    func elements(_ items: [Expr], _ frame: Frame) throws -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(items.count)
        for item in items {
            if case .starred(let inner) = item.kind {
                out += try iterate(evaluate(inner, frame), at: inner.location)
            } else {
                out.append(try evaluate(item, frame))
            }
        }
        return out
    }

    // MARK: Calls

    /// A call's positional arguments, `*iterable` spread out with CPython's
    /// message for what cannot be.
    private func arguments(_ exprs: [Expr], _ frame: Frame, callee: Value?) throws -> [Value] {
        guard exprs.contains(where: { if case .starred = $0.kind { return true } else { return false } }) else {
            var out: [Value] = []
            out.reserveCapacity(exprs.count)
            for item in exprs { out.append(try evaluate(item, frame)) }
            return out
        }
        var out: [Value] = []
        for item in exprs {
            guard case .starred(let inner) = item.kind else { out.append(try evaluate(item, frame)); continue }
            let value = try evaluate(inner, frame)
            do {
                out += try items(of: value)
            } catch let e as Raise where e.type == "TypeError" && e.message.hasSuffix("is not iterable") {
                let name = callee.map(messageName) ?? "function"
                throw located(Raise.type("\(name)() argument after * must be an iterable, not \(typeName(of: value))"), at: inner.location)
            } catch {
                throw located(error, at: inner.location)
            }
        }
        return out
    }

    /// How CPython's call messages name a callee: `__main__.f` for the
    /// script's functions, the bare name for builtins.
    func messageName(_ callee: Value) -> String {
        switch callee {
        case .object(let f as FunctionObject): return "__main__.\(f.qualifiedName)"
        case .object(let m as BoundMethod): return messageName(m.function)
        default: return callableName(callee)
        }
    }

    private func evaluateCall(_ expr: Expr, _ calleeExpr: Expr, _ argExprs: [Expr], _ keywords: [Keyword],
                              _ frame: Frame) throws -> Value {
        // `t.method(...)`, `torch.function(...)` and `obj.method(...)` call the
        // method directly, without first making the bound method object that
        // `t.method` alone evaluates to (an allocation per call, for the
        // commonest calls in a loop). What runs, and where errors point, is
        // the same: the call and its callee share their position.
        var direct: DirectCall?
        var callee = Value.none
        if case .attribute(let objectExpr, let name) = calleeExpr.kind {
            let object = try evaluate(objectExpr, frame)
            switch object {
            case .tensor(let t) where Interpreter.tensorMethods.contains(name):
                direct = .tensorMethod(t, name)
            case .module(let module) where moduleConstant(module, name) == nil && !Self.pythonModules.contains(module):
                direct = .moduleFunction(module, name)
            case .object(let o as InstanceObject):
                if o.attributes[name] == nil, case .object(let f as FunctionObject)? = o.cls.lookup(name) {
                    direct = .method(object, f)
                } else {
                    do { callee = try getAttribute(object, name) } catch { throw located(error, at: calleeExpr.location) }
                }
            default:
                do { callee = try getAttribute(object, name) } catch { throw located(error, at: calleeExpr.location) }
            }
        } else {
            callee = try evaluate(calleeExpr, frame)
        }
        let args = try arguments(argExprs, frame, callee: direct == nil ? callee : nil)
        var kwargs: [(String, Value)] = []
        if !keywords.isEmpty {
            // Named keywords cannot repeat each other (a SyntaxError), but
            // may repeat a key of a `**mapping` on either side of it. CPython
            // reports these errors at the whole call.
            var spread = false
            for keyword in keywords {
                let value = try evaluate(keyword.value, frame)
                if let name = keyword.name {
                    if spread, kwargs.contains(where: { $0.0 == name }) {
                        throw located(Raise.type("\(messageName(callee))() got multiple values for keyword argument '\(name)'"),
                                      at: expr.location)
                    }
                    kwargs.append((name, value))
                    continue
                }
                spread = true
                do {
                    try spreadKeywords(value, into: &kwargs, callee: callee)
                } catch {
                    throw located(error, at: expr.location)
                }
            }
        }
        frame.location = expr.location
        // Tensors the call makes remember it (`Tensor.origin`); what the rest
        // of the statement makes belongs to its line.
        let outer = runtime.origin
        runtime.origin = SourceOrigin(line: expr.location.line, column: expr.location.column)
        defer { runtime.origin = SourceOrigin(line: Int(outer.line), column: 0) }
        do {
            switch direct {
            case .tensorMethod(let t, let name)?: return try callTensorMethod(t, name, args, kwargs)
            case .moduleFunction(let module, let name)?: return try callModuleFunction(module, name, args, kwargs)
            case .method(let receiver, let f)?: return try callFunction(f, [receiver] + args, kwargs)
            case nil:
                if case .object(let o as ModuleObject) = callee {
                    return try callModule(o, args, kwargs, callee: calleeExpr)
                }
                return try call(callee, args, kwargs)
            }
        } catch {
            throw located(error, at: expr.location)
        }
    }

    /// `f(**mapping)`: its items as keyword arguments.
    private func spreadKeywords(_ mapping: Value, into kwargs: inout [(String, Value)], callee: Value) throws {
        guard case .object(let dict as DictObject) = mapping else {
            throw Raise.type("\(messageName(callee))() argument after ** must be a mapping, not \(typeName(of: mapping))")
        }
        for (key, value) in dict.items {
            guard case .string(let name) = key else { throw Raise.type("keywords must be strings") }
            if kwargs.contains(where: { $0.0 == name }) {
                throw Raise.type("\(messageName(callee))() got multiple values for keyword argument '\(name)'")
            }
            kwargs.append((name, value))
        }
    }

    // MARK: Truth

    // A truth test that raises (a tensor of several elements) is reported
    // where CPython reports it: at the whole `not`/`and`/`if … else`
    // expression, or at the start of an `if`/`assert` statement.

    func truth(_ value: Value, at location: SourceLocation) throws -> Bool {
        do { return try truthValue(value) } catch { throw located(error, at: location) }
    }

    func truthValue(_ value: Value) throws -> Bool {
        switch value {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .bigInt: return true
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
        case .object(let d as DictObject): return d.count > 0
        case .object(let s as SetObject): return s.count > 0
        case .object(let d as DequeObject): return !d.box.items.isEmpty
        case .object(let v as DictView): return v.dict.count > 0
        case .object(let o as InstanceObject):
            if let method = lookupSpecial(value, "__bool__") {
                let result = try call(method, [], [])
                guard case .bool(let b) = result else { throw Raise.type("__bool__ should return bool, returned \(typeName(of: result))") }
                return b
            }
            if let method = lookupSpecial(value, "__len__") {
                return try lengthResult(call(method, [], []), of: o) != 0
            }
            return true
        case .object(let o as ModuleObject) where o.cls != nil:
            if let method = lookupSpecial(value, "__len__") { return try lengthResult(call(method, [], []), of: o) != 0 }
            return true
        case .object(let o as ModuleObject) where o.module is Sequential || o.module is ModuleList:
            return !o.module.children.isEmpty
        default: return true
        }
    }
}

/// A call of an attribute made without the bound method object (see
/// `evaluateCall`).
private enum DirectCall {
    case tensorMethod(Tensor, String)
    case moduleFunction(String, String)
    case method(Value, FunctionObject)
}

extension Expr {
    /// Whether CPython folds this expression to a constant (literals, signed
    /// numbers, tuples of constants).
    var isConstant: Bool {
        switch kind {
        case .int, .float, .string, .bool, .none, .ellipsis: return true
        case .unary(.minus, let inner), .unary(.plus, let inner):
            switch inner.kind {
            case .int, .float: return true
            default: return false
            }
        case .tuple(let items): return items.allSatisfy(\.isConstant)
        default: return false
        }
    }
}
