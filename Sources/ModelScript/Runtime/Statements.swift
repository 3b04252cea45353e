import Autograd

/// How a statement ended: normally, or by leaving its block.
enum Flow {
    case normal, breakLoop, continueLoop
    /// A `return`; the value is in the frame's `returnValue`.
    case returned
}

extension Interpreter {
    func execute(_ body: [Stmt], in frame: Frame) throws -> Flow {
        for stmt in body {
            let flow = try execute(stmt, in: frame)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    func execute(_ stmt: Stmt, in frame: Frame) throws -> Flow {
        if let budget = statementBudget {
            guard budget > 0 else { throw StatementBudgetExhausted() }
            statementBudget = budget - 1
        }
        currentStatement = stmt
        frame.location = stmt.location
        runtime.origin = SourceOrigin(line: stmt.location.line, column: 0)
        if runtime.anomalyDetection { runtime.currentLocation = forwardLocation(of: stmt) }
        switch stmt.kind {
        case .expr(let e):
            _ = try evaluate(e, frame)
        case .assign(let targets, let valueExpr):
            let value = try evaluate(valueExpr, frame)
            for target in targets { try assign(target, value, frame) }
        case .augAssign(let target, let op, let valueExpr):
            try augmentedAssign(target, op, valueExpr, frame)
        case .annotatedAssign(let target, _, let valueExpr):
            if let valueExpr { try assign(target, try evaluate(valueExpr, frame), frame) }
        case .with(let items, let body):
            return try executeWith(items, body, frame)
        case .forLoop(let target, let iterableExpr, let body, let orElse):
            let iterable = try evaluate(iterableExpr, frame)
            var exit: Flow = .normal
            do {
                try forEach(iterable, at: iterableExpr.location) { item in
                    try self.assign(target, item, frame)
                    switch try self.execute(body, in: frame) {
                    case .normal, .continueLoop: return true
                    case .breakLoop: exit = .breakLoop; return false
                    case .returned: exit = .returned; return false
                    }
                }
            } catch let e as PyException {
                // Raised by a generator's body as the loop asked for its next
                // item: CPython shows this frame at the `for`.
                e.arrived(atDepth: frames.count - 1, stmt.location)
                throw e
            }
            switch exit {
            case .returned: return .returned
            case .breakLoop: return .normal
            default: return try execute(orElse, in: frame)
            }
        case .whileLoop(let test, let body, let orElse):
            while try truth(evaluate(test, frame), at: test.location) {
                switch try execute(body, in: frame) {
                case .normal, .continueLoop: continue
                case .breakLoop: return .normal
                case .returned: return .returned
                }
            }
            return try execute(orElse, in: frame)
        case .ifStmt(let test, let body, let orElse):
            let branch = try truth(evaluate(test, frame), at: stmt.location) ? body : orElse
            return try execute(branch, in: frame)
        case .tryStmt(let body, let handlers, let orElse, let final):
            return try executeTry(body, handlers, orElse, final, frame)
        case .raise(let exceptionExpr, let causeExpr):
            guard let exceptionExpr else {
                guard let current = handling.last else { throw raise("RuntimeError", "No active exception to reraise", at: stmt.location) }
                throw current
            }
            let object = try exceptionObject(evaluate(exceptionExpr, frame), at: exceptionExpr.location)
            if let causeExpr {
                var cause = try evaluate(causeExpr, frame)
                if case .object(let c as ClassObject) = cause, c.inherits(.exception) {
                    cause = .object(try exceptionObject(cause, at: causeExpr.location))
                }
                guard cause.isNone || { if case .object(let c as InstanceObject) = cause { return c.cls.inherits(.exception) }; return false }() else {
                    throw raise("TypeError", "exception causes must derive from BaseException", at: stmt.location)
                }
                object.attributes["__cause__"] = cause
                object.attributes["__suppress_context__"] = .bool(true)
            }
            chain(object)
            frame.location = stmt.location
            throw PyException(object, at: stmt.location, traceback: traceback(at: stmt.location))
        case .assert(let test, let messageExpr):
            let (passed, decidedAt) = try decide(test, frame, at: stmt.location)
            guard passed else {
                let message = try messageExpr.map { try evaluate($0, frame) }
                throw raise("AssertionError", args: message.map { [$0] } ?? [], at: decidedAt)
            }
        case .functionDef(let definition):
            // Decorators are evaluated top to bottom, then applied bottom up.
            let decorators = try definition.decorators.map { ($0, try evaluate($0, frame)) }
            var function = try makeFunction(definition, frame)
            for (expr, d) in decorators.reversed() {
                function = try call(d, [function], [], at: expr.location)
            }
            try assign(definition.target!, function, frame)
        case .classDef(let definition):
            try assign(definition.target, try makeClass(definition, frame), frame)
        case .returnStmt(let valueExpr):
            frame.returnValue = try valueExpr.map { try evaluate($0, frame) } ?? .none
            return .returned
        case .delete(let targets):
            for target in targets { try delete(target, frame) }
        case .global, .nonlocal, .pass:
            break
        case .break:
            return .breakLoop
        case .continue:
            return .continueLoop
        case .importModule(let module, let alias, let target):
            try assign(target, try importModule(module, bindsTop: alias == nil, at: stmt.location), frame)
        case .importFrom(let module, let names):
            let source = try importModule(module, bindsTop: false, at: stmt.location)
            for item in names {
                try assign(item.target, try importName(item.name, from: source, module: module, at: stmt.location), frame)
            }
        }
        return .normal
    }

    /// A condition's truth and where CPython's jump for it points: the last
    /// operand an `and`/`or` evaluated (a failing `assert a or b` is
    /// reported at `b`).
    private func decide(_ test: Expr, _ frame: Frame, at statement: SourceLocation) throws -> (Bool, SourceLocation) {
        switch test.kind {
        case .boolean(let op, let operands):
            var result = (false, test.location)
            for operand in operands {
                result = try decide(operand, frame, at: statement)
                if (op == .and && !result.0) || (op == .or && result.0) { return result }
            }
            return result
        case .not(let inner):
            let (value, location) = try decide(inner, frame, at: statement)
            return (!value, location)
        default:
            return (try truth(evaluate(test, frame), at: statement), test.location)
        }
    }

    // MARK: try, with

    /// `try`/`except`/`else`/`finally`: a handler sees only the body's
    /// exception (not the `else` block's), `finally` runs exactly once with
    /// the exception still passing through as the one being handled, and a
    /// `return`/`break` in `finally` drops that exception.
    private func executeTry(_ body: [Stmt], _ handlers: [ExceptHandler], _ orElse: [Stmt], _ final: [Stmt],
                            _ frame: Frame) throws -> Flow {
        var flow: Flow = .normal
        var failure: Error?
        do {
            flow = try execute(body, in: frame)
            if case .normal = flow {
                do { flow = try execute(orElse, in: frame) } catch { failure = error }
            }
        } catch {
            failure = error
            if !handlers.isEmpty, let exception = pyException(from: error, at: frame.location) {
                failure = exception
                do {
                    if let handler = try matchingHandler(handlers, exception, frame) {
                        handling.append(exception)
                        defer { handling.removeLast() }
                        if let name = handler.name { try assign(name, .object(exception.object), frame) }
                        // Python deletes the name when the handler ends, however it ends.
                        defer { if let name = handler.name { try? delete(name, frame) } }
                        flow = try execute(handler.body, in: frame)
                        failure = nil
                    }
                } catch {
                    failure = error
                }
            }
        }
        if !final.isEmpty {
            let pending = failure.flatMap { pyException(from: $0, at: frame.location) }
            if let pending {
                failure = pending
                handling.append(pending)
            }
            defer { if pending != nil { handling.removeLast() } }
            let saved = frame.returnValue
            let finalFlow = try execute(final, in: frame)
            if case .normal = finalFlow {
                frame.returnValue = saved
            } else {
                return finalFlow  // a return or break in finally drops the exception
            }
        }
        if let failure { throw failure }
        return flow
    }

    private func matchingHandler(_ handlers: [ExceptHandler], _ e: PyException, _ frame: Frame) throws -> ExceptHandler? {
        for handler in handlers {
            guard let typeExpr = handler.type else { return handler }
            let type = try evaluate(typeExpr, frame)
            if try exceptionMatches(e, type, at: typeExpr.location) { return handler }
        }
        return nil
    }

    private func executeWith(_ items: [WithItem], _ body: [Stmt], _ frame: Frame) throws -> Flow {
        guard let item = items.first else { return try execute(body, in: frame) }
        let manager = try evaluate(item.context, frame)
        let rest = Array(items.dropFirst())
        switch manager {
        case .context(let context):
            let entered = try context.enter()
            defer { context.exit() }
            if let name = item.name { try assign(name, entered, frame) }
            return try executeWith(rest, body, frame)
        case .object(let o) where lookupSpecial(manager, "__enter__") != nil:
            guard let exit = lookupSpecial(manager, "__exit__") else {
                throw raise("AttributeError", "__exit__", at: item.context.location)
            }
            _ = o
            let entered = try call(lookupSpecial(manager, "__enter__")!, [], [], at: item.context.location)
            if let name = item.name { try assign(name, entered, frame) }
            let flow: Flow
            do {
                flow = try executeWith(rest, body, frame)
            } catch {
                guard let e = pyException(from: error, at: frame.location) else { throw error }
                let suppress = try call(exit, [.object(e.object.cls), .object(e.object), .none], [], at: item.context.location)
                if try truthValue(suppress) { return .normal }
                throw e
            }
            _ = try call(exit, [.none, .none, .none], [], at: item.context.location)
            return flow
        default:
            throw raise("TypeError", "'\(typeName(of: manager))' object does not support the context manager protocol", at: item.context.location)
        }
    }

    // MARK: Assignment

    func assign(_ target: Expr, _ value: Value, _ frame: Frame) throws {
        switch target.kind {
        case .name(_, let ref):
            store(ref, value, frame)
        case .tuple(let targets), .list(let targets):
            try unpack(targets, value, at: target.location, frame)
        case .attribute(let objectExpr, let name):
            let object = try evaluate(objectExpr, frame)
            do { try setAttribute(object, name, value) } catch { throw located(error, at: target.location) }
        case .subscript(let objectExpr, let indexExpr):
            let object = try evaluate(objectExpr, frame)
            let index = try evaluate(indexExpr, frame)
            do { try setItem(object, index, value) } catch { throw located(error, at: target.location) }
        case .starred:
            throw ScriptError.syntax("starred assignment target must be in a list or tuple", target.location)
        default:
            throw ScriptError.syntax("cannot assign to expression", target.location)
        }
    }

    @inline(__always)
    func store(_ ref: NameRef, _ value: Value, _ frame: Frame) {
        switch ref {
        case .local(let i), .classLocal(let i, _):
            frame.locals[i] = value
            if recordsLocalNames { rememberLocal(value, frame, local: i) }
        case .cell(let i):
            frame.cells[i].value = value
            if recordsLocalNames { rememberLocal(value, frame, cell: i) }
        case .global(let i): setGlobal(slot: i, value)
        case .unresolved: preconditionFailure("unresolved name")
        }
    }

    /// Remembers a tensor or module a function bound to a local variable,
    /// as `forward.h1`, so a snapshot can name it while it lives.
    private func rememberLocal(_ value: Value, _ frame: Frame, local: Int? = nil, cell: Int? = nil) {
        guard let function = frame.function else { return }
        if localNames.count > 50_000 { localNames = localNames.filter { $0.value.object != nil } }
        let scope = function.definition.scope
        let variable = local.map { scope.locals[$0] } ?? cell.map { scope.cells[$0] } ?? "?"
        // The first function to bind an object names it (`main.x`, not the
        // `forward.x` it is passed on as).
        switch value {
        case .tensor(let t) where localNames[ObjectIdentifier(t)]?.object == nil:
            localNames[ObjectIdentifier(t)] = LocalName(object: t, name: "\(function.name).\(variable)")
        case .object(let o as ModuleObject) where variable != "self" && localNames[ObjectIdentifier(o)]?.object == nil:
            localNames[ObjectIdentifier(o)] = LocalName(object: o, name: "\(function.name).\(variable)")
        default: break
        }
    }

    /// `a, *rest, b = value`, with Python's messages for the wrong count.
    private func unpack(_ targets: [Expr], _ value: Value, at location: SourceLocation, _ frame: Frame) throws {
        let hasStar = targets.contains { if case .starred = $0.kind { return true } else { return false } }
        let items: [Value]
        do {
            items = hasStar ? try self.items(of: value) : try firstItems(of: value, count: targets.count + 1)
        } catch let e as Raise where e.type == "TypeError" && e.message.hasSuffix("is not iterable") {
            throw raise("TypeError", "cannot unpack non-iterable \(typeName(of: value)) object", at: location)
        } catch {
            throw located(error, at: location)
        }
        let starIndex = targets.firstIndex { if case .starred = $0.kind { return true } else { return false } }
        guard let star = starIndex else {
            guard items.count == targets.count else {
                let message = items.count > targets.count
                    ? "too many values to unpack (expected \(targets.count))"
                    : "not enough values to unpack (expected \(targets.count), got \(items.count))"
                throw raise("ValueError", message, at: location)
            }
            for (t, v) in zip(targets, items) { try assign(t, v, frame) }
            return
        }
        let after = targets.count - star - 1
        guard items.count >= targets.count - 1 else {
            throw raise("ValueError", "not enough values to unpack (expected at least \(targets.count - 1), got \(items.count))", at: location)
        }
        for k in 0..<star { try assign(targets[k], items[k], frame) }
        guard case .starred(let inner) = targets[star].kind else { return }
        try assign(inner, .list(ListBox(Array(items[star..<(items.count - after)]))), frame)
        for k in 0..<after { try assign(targets[star + 1 + k], items[items.count - after + k], frame) }
    }

    /// At most `count` items of an iterable, as unpacking takes them (an
    /// endless iterator gives "too many values to unpack", as in CPython).
    private func firstItems(of value: Value, count: Int) throws -> [Value] {
        switch value {
        case .list(let box): return box.items
        case .tuple(let items): return items
        default:
            let iterator = try makeIterator(value)
            var out: [Value] = []
            while out.count < count, let item = try iterator.next() { out.append(item) }
            return out
        }
    }

    /// `del target`.
    func delete(_ target: Expr, _ frame: Frame) throws {
        switch target.kind {
        case .name(let name, let ref):
            let wasBound: Bool
            switch ref {
            case .local(let i), .classLocal(let i, _):
                wasBound = frame.locals[i] != nil
                frame.locals[i] = nil
            case .cell(let i):
                wasBound = frame.cells[i].value != nil
                frame.cells[i].value = nil
            case .global(let i):
                wasBound = globalValues[i] != nil
                globalValues[i] = nil
                bindingOrder.removeAll { $0 == name }
            case .unresolved:
                wasBound = false
            }
            if !wasBound {
                if case .global = ref { throw raise("NameError", "name '\(name)' is not defined", at: target.location) }
                throw raise("UnboundLocalError", "cannot access local variable '\(name)' where it is not associated with a value", at: target.location)
            }
        case .tuple(let items), .list(let items):
            for item in items { try delete(item, frame) }
        case .attribute(let objectExpr, let name):
            let object = try evaluate(objectExpr, frame)
            do { try deleteAttribute(object, name) } catch { throw located(error, at: target.location) }
        case .subscript(let objectExpr, let indexExpr):
            let object = try evaluate(objectExpr, frame)
            let index = try evaluate(indexExpr, frame)
            do { try deleteItem(object, index) } catch { throw located(error, at: target.location) }
        default:
            throw ScriptError.syntax("cannot delete expression", target.location)
        }
    }

    /// `x += y`: in place on tensors (the same object, version bumped) and
    /// lists, `__iadd__` on user objects, a rebinding for numbers.
    private func augmentedAssign(_ target: Expr, _ op: BinaryOp, _ valueExpr: Expr, _ frame: Frame) throws {
        // The target's object and index are evaluated once, as in Python.
        var object: Value = .none, index: Value = .none
        let current: Value
        switch target.kind {
        case .attribute(let objectExpr, let name):
            object = try evaluate(objectExpr, frame)
            do { current = try getAttribute(object, name) } catch { throw located(error, at: target.location) }
        case .subscript(let objectExpr, let indexExpr):
            object = try evaluate(objectExpr, frame)
            index = try evaluate(indexExpr, frame)
            do { current = try getItem(object, index) } catch { throw located(error, at: target.location) }
        default:
            current = try evaluate(target, frame)
        }
        let operand = try evaluate(valueExpr, frame)
        let result: Value
        do {
            result = try inPlaceOperation(op, current, operand)
        } catch {
            throw located(error, at: target.location)
        }
        switch target.kind {
        case .attribute(_, let name):
            // A tensor updated in place is already where it was (setting the
            // same tensor back changes nothing in PyTorch either).
            if case .tensor = current { return }
            do { try setAttribute(object, name, result) } catch { throw located(error, at: target.location) }
        case .subscript:
            do { try setItem(object, index, result) } catch { throw located(error, at: target.location) }
        default:
            try assign(target, result, frame)
        }
    }

    /// `a op= b`: the in-place form where the value has one.
    func inPlaceOperation(_ op: BinaryOp, _ current: Value, _ operand: Value) throws -> Value {
        switch current {
        case .tensor(let t):
            try inPlaceBinary(t, op, operand)
            return current
        case .list(let box) where op == .add:
            box.items += try items(of: operand)
            return current
        case .list(let box) where op == .mul:
            guard case .int(let n) = operand else { return try binary(op, current, operand) }
            try PythonNumbers.checkRepeat(box.items.count, n)
            box.items = PythonNumbers.repeated(box.items, n)
            return current
        case .object(let a as SetObject):
            // `s |= t` and friends change the set itself, through CPython's in-place paths.
            guard case .object(let b as SetObject) = operand, !a.frozen else { return try binary(op, current, operand) }
            switch op {
            case .bitOr: try a.update([a.operand(b)])
            case .bitAnd: try a.intersectionUpdate([a.operand(b)])
            case .sub: try a.differenceUpdate([a.operand(b)])
            case .bitXor: try a.symmetricDifferenceUpdate(a.operand(b))
            default: return try binary(op, current, operand)
            }
            return current
        case .object:
            if let method = lookupSpecial(current, "__i" + Self.dunderName(op) + "__") {
                let result = try call(method, [operand], [])
                if case .object(let o) = result, o === NotImplementedValue.shared {} else { return result }
            }
            return try binary(op, current, operand)
        default:
            return try binary(op, current, operand)
        }
    }

    func inPlaceBinary(_ t: Tensor, _ op: BinaryOp, _ operand: Value) throws {
        let other = try tensorOperand(operand, like: t)
        switch op {
        case .add: try t.addInPlace(other)
        case .sub: try t.subInPlace(other)
        case .mul: try t.mulInPlace(other)
        case .div: try t.divInPlace(other)
        default: throw Raise.unsupported("in-place '\(op.rawValue)=' on tensors is not supported by autograd-viz")
        }
    }
}
