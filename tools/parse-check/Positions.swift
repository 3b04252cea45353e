// The location of every statement and expression of a parsed script, in
// the order and under the names of CPython's `ast` (its classes, walked
// depth first in `_fields` order), so tools/fuzz_parser.py --positions can
// compare them with `ast.parse`. Nodes CPython has and the AST has not
// (aliases, comprehension clauses, f-string literal pieces) are left out on
// both sides.
import ModelScript

struct Positions {
    private(set) var entries: [String] = []

    private mutating func emit(_ kind: String, _ location: SourceLocation) {
        entries.append("\(kind)@\(location.line):\(location.column)")
    }

    mutating func visit(_ body: [Stmt]) {
        for stmt in body { visit(stmt) }
    }

    mutating func visit(_ stmt: Stmt) {
        let at = stmt.location
        switch stmt.kind {
        case .expr(let value):
            emit("Expr", at)
            visit(value)
        case .assign(let targets, let value):
            emit("Assign", at)
            targets.forEach { visit($0) }
            visit(value)
        case .augAssign(let target, _, let value):
            emit("AugAssign", at)
            visit(target)
            visit(value)
        case .annotatedAssign(let target, let annotation, let value):
            emit("AnnAssign", at)
            visit(target)
            visit(annotation)
            value.map { visit($0) }
        case .with(let items, let body):
            emit("With", at)
            for item in items {
                visit(item.context)
                item.name.map { visit($0) }
            }
            visit(body)
        case .forLoop(let target, let iterable, let body, let orElse):
            emit("For", at)
            visit(target)
            visit(iterable)
            visit(body)
            visit(orElse)
        case .whileLoop(let test, let body, let orElse):
            emit("While", at)
            visit(test)
            visit(body)
            visit(orElse)
        case .ifStmt(let test, let body, let orElse):
            emit("If", at)
            visit(test)
            visit(body)
            visit(orElse)
        case .tryStmt(let body, let handlers, let orElse, let final):
            emit("Try", at)
            visit(body)
            for handler in handlers {
                emit("ExceptHandler", handler.location)
                handler.type.map { visit($0) }
                visit(handler.body)
            }
            visit(orElse)
            visit(final)
        case .raise(let exception, let cause):
            emit("Raise", at)
            exception.map { visit($0) }
            cause.map { visit($0) }
        case .assert(let test, let message):
            emit("Assert", at)
            visit(test)
            message.map { visit($0) }
        case .functionDef(let function):
            emit("FunctionDef", at)
            visit(function.parameters)
            visit(function.body)
            function.decorators.forEach { visit($0) }
            function.returns.map { visit($0) }
        case .classDef(let classDef):
            emit("ClassDef", at)
            classDef.bases.forEach { visit($0) }
            classDef.keywords.forEach { visit($0) }
            visit(classDef.body)
            classDef.decorators.forEach { visit($0) }
        case .returnStmt(let value):
            emit("Return", at)
            value.map { visit($0) }
        case .delete(let targets):
            emit("Delete", at)
            targets.forEach { visit($0) }
        case .global:
            emit("Global", at)
        case .nonlocal:
            emit("Nonlocal", at)
        case .pass:
            emit("Pass", at)
        case .break:
            emit("Break", at)
        case .continue:
            emit("Continue", at)
        case .importModule:
            emit("Import", at)  // once per imported module; the Python side does the same
        case .importFrom:
            emit("ImportFrom", at)
        }
    }

    /// `arguments`: posonlyargs, args, vararg, kwonlyargs, kw_defaults,
    /// kwarg, defaults; each `arg` followed by its annotation.
    private mutating func visit(_ parameters: Parameters) {
        func arg(_ parameter: Parameter) {
            emit("arg", parameter.location)
            parameter.annotation.map { visit($0) }
        }
        parameters.positionalOnly.forEach(arg)
        parameters.regular.forEach(arg)
        parameters.varArgs.map(arg)
        parameters.keywordOnly.forEach(arg)
        parameters.keywordOnly.compactMap(\.defaultValue).forEach { visit($0) }
        parameters.varKeywords.map(arg)
        (parameters.positionalOnly + parameters.regular).compactMap(\.defaultValue).forEach { visit($0) }
    }

    private mutating func visit(_ keyword: Keyword) {
        emit("keyword", keyword.location)
        visit(keyword.value)
    }

    mutating func visit(_ expr: Expr) {
        let at = expr.location
        switch expr.kind {
        case .int, .bigInt, .float, .string, .bool, .none, .ellipsis:
            emit("Constant", at)
        case .formatted(let parts):
            emit("JoinedStr", at)
            visit(parts)
        case .name:
            emit("Name", at)
        case .attribute(let base, _):
            emit("Attribute", at)
            visit(base)
        case .call(let callee, let args, let keywords):
            emit("Call", at)
            visit(callee)
            args.forEach { visit($0) }
            keywords.forEach { visit($0) }
        case .subscript(let base, let index):
            emit("Subscript", at)
            visit(base)
            visit(index)
        case .slice(let lower, let upper, let step):
            emit("Slice", at)
            [lower, upper, step].compactMap { $0 }.forEach { visit($0) }
        case .tuple(let items):
            emit("Tuple", at)
            items.forEach { visit($0) }
        case .list(let items):
            emit("List", at)
            items.forEach { visit($0) }
        case .set(let items):
            emit("Set", at)
            items.forEach { visit($0) }
        case .dict(let items):
            emit("Dict", at)
            items.compactMap(\.key).forEach { visit($0) }
            items.forEach { visit($0.value) }
        case .starred(let value):
            emit("Starred", at)
            visit(value)
        case .unary(_, let operand), .not(let operand):
            emit("UnaryOp", at)
            visit(operand)
        case .binary(_, let left, let right):
            emit("BinOp", at)
            visit(left)
            visit(right)
        case .compare(let first, let rest):
            emit("Compare", at)
            visit(first)
            rest.forEach { visit($0.right) }
        case .boolean(_, let operands):
            emit("BoolOp", at)
            operands.forEach { visit($0) }
        case .conditional(let then, let test, let orElse):
            emit("IfExp", at)
            visit(test)
            visit(then)
            visit(orElse)
        case .lambda(let function):
            emit("Lambda", at)
            visit(function.parameters)
            if case .returnStmt(let body?)? = function.body.first?.kind { visit(body) }
        case .comprehension(let comprehension):
            let kind: String = switch comprehension.kind {
            case .list: "ListComp"
            case .set: "SetComp"
            case .dict: "DictComp"
            case .generator: "GeneratorExp"
            }
            emit(kind, at)
            visit(comprehension.element)
            comprehension.value.map { visit($0) }
            for clause in comprehension.clauses {
                visit(clause.target)
                visit(clause.iterable)
                clause.conditions.forEach { visit($0) }
            }
        case .namedExpr(let target, let value):
            emit("NamedExpr", at)
            visit(target)
            visit(value)
        case .yield(let value):
            emit("Yield", at)
            value.map { visit($0) }
        case .yieldFrom(let value):
            emit("YieldFrom", at)
            visit(value)
        }
    }

    private mutating func visit(_ parts: [FormattedPart]) {
        for part in parts {
            guard case .value(let value, _, let spec) = part else { continue }
            visit(value)
            visit(spec)
        }
    }
}
