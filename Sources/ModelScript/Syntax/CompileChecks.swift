/// The SyntaxErrors CPython 3.11 raises after parsing, when it compiles a
/// module, and the constructs scripts cannot use.
///
/// NOTE [Errors after parsing]
/// `compile()` runs three passes over a tree that parsed, each stopping at
/// its first error, and so does `firstError(in:)`:
///
/// 1. `__future__` imports (Python/future.c): unknown features, braces.
/// 2. The symbol table (Python/symtable.c), built in one walk — duplicate
///    parameters, `global`/`nonlocal` after a use, `yield` in a
///    comprehension, walrus targets — then analysed scope by scope:
///    `nonlocal` without a binding.
/// 3. The compiler (Python/compile.c), in the order it emits code (the
///    value of an assignment before its targets, a comprehension's body
///    before its first iterable): `return`/`yield`/`await` outside a
///    function, `break` outside a loop, starred expressions out of
///    place, repeated keyword arguments, a bare `except:` not last.
///
/// Only a module free of all of these may be refused for a construct
/// scripts cannot use (`refusals(in:)`), as Python would not run it at all.
/// Columns are CPython's (it counts bytes here, we count characters: the
/// two differ only on lines with non-ASCII text before the error).
struct CompileChecks {
    /// Where `async` tokens are: an `async def`, `async for` or `async
    /// with` is located at its `async`.
    var asyncLocations: Set<SourceLocation>
    /// The target locations of `async for` clauses in comprehensions.
    var asyncComprehensionTargets: Set<SourceLocation>

    func firstError(in module: [Stmt]) -> ScriptError? {
        do {
            let futureLine = try checkFuture(module)
            var symbols = SymbolTableBuilder(checks: self)
            try symbols.visit(module)
            try symbols.analyze()
            var compiler = CompilerChecks(checks: self, futureLine: futureLine.line,
                                          futureAnnotations: futureLine.annotations)
            try compiler.visit(module)
            return nil
        } catch let error as ScriptError {
            return error
        } catch {
            return nil
        }
    }

    /// Async functions, loops, comprehensions and awaits: valid Python that
    /// scripts cannot run.
    func refusals(in module: [Stmt]) -> [ScriptError] {
        var finder = AsyncFinder(checks: self)
        finder.visit(module)
        return finder.found
    }

    func isAsync(_ function: FunctionDef) -> Bool { asyncLocations.contains(function.location) }
    func isAsync(_ stmt: Stmt) -> Bool { asyncLocations.contains(stmt.location) }
    func isAsync(_ clause: ComprehensionClause) -> Bool { asyncComprehensionTargets.contains(clause.target.location) }

    // MARK: - __future__

    private static let futureFeatures: Set<String> = [
        "nested_scopes", "generators", "division", "absolute_import", "with_statement",
        "print_function", "unicode_literals", "barry_as_FLUFL", "generator_stop", "annotations",
    ]

    /// `future_parse`: the `from __future__` imports that open the module
    /// (after its docstring). Returns the line of the last one.
    private func checkFuture(_ module: [Stmt]) throws -> (line: Int, annotations: Bool) {
        var index = 0
        if case .expr(let first)? = module.first?.kind, case .string = first.kind { index = 1 }
        var line = 0
        var annotations = false
        var done = false
        var previousLine = 0
        for stmt in module.dropFirst(index) {
            if done && stmt.location.line > previousLine { break }
            previousLine = stmt.location.line
            guard case .importFrom("__future__", let names) = stmt.kind else {
                done = true
                continue
            }
            if done {
                throw ScriptError.syntax("from __future__ imports must occur at the beginning of the file",
                                         SourceLocation(line: stmt.location.line, column: stmt.location.column - 1))
            }
            for name in names {
                if name.name == "braces" { throw ScriptError.syntax("not a chance", stmt.location) }
                guard Self.futureFeatures.contains(name.name) else {
                    throw ScriptError.syntax("future feature \(name.name) is not defined", stmt.location)
                }
                if name.name == "annotations" { annotations = true }
            }
            line = stmt.location.line
        }
        return (line, annotations)
    }
}

// MARK: - Symbol table

/// One scope of CPython's symbol table, with the flags it keeps per name.
private final class SymbolScope {
    enum Kind: Equatable {
        case module, function, classBody
        case comprehension(Comprehension.Kind)
    }

    static let global = 1, local = 2, parameter = 4, nonlocal = 8, use = 16
    static let imported = 128, annotated = 256, comprehensionIterator = 512
    static let bound = local | parameter | imported

    let kind: Kind
    var flags: [String: Int] = [:]
    /// Names in the order the table first met them.
    var order: [String] = []
    /// `global`/`nonlocal` statements (and walrus targets), by name.
    var directives: [(name: String, location: SourceLocation)] = []
    var children: [SymbolScope] = []
    var comprehensionIteratorTarget = false
    var comprehensionIterableDepth = 0
    var isGenerator = false
    var isCoroutine = false

    init(_ kind: Kind) { self.kind = kind }

    var isFunctionBlock: Bool {
        switch kind {
        case .function, .comprehension: return true
        default: return false
        }
    }

    var comprehensionKind: Comprehension.Kind? {
        if case .comprehension(let kind) = kind { return kind }
        return nil
    }

    func directive(for name: String) -> SourceLocation? {
        directives.first { $0.name == name }?.location
    }
}

/// `symtable.c`: builds the scopes in one walk, raising as it goes, then
/// `analyze()` resolves `nonlocal` declarations.
private struct SymbolTableBuilder {
    let checks: CompileChecks
    let module = SymbolScope(.module)
    var stack: [SymbolScope]

    init(checks: CompileChecks) {
        self.checks = checks
        stack = [module]
    }

    var current: SymbolScope { stack[stack.count - 1] }

    /// `symtable_add_def`
    private func addDef(_ name: String, _ flag: Int, at location: SourceLocation, in scope: SymbolScope? = nil) throws {
        let scope = scope ?? current
        var value = flag
        if let existing = scope.flags[name] {
            if flag & SymbolScope.parameter != 0 && existing & SymbolScope.parameter != 0 {
                throw ScriptError.syntax("duplicate argument '\(name)' in function definition", location)
            }
            value |= existing
        } else {
            scope.order.append(name)
        }
        if scope.comprehensionIteratorTarget {
            if value & (SymbolScope.global | SymbolScope.nonlocal) != 0 {
                throw ScriptError.syntax("comprehension inner loop cannot rebind assignment expression target '\(name)'",
                                         location)
            }
            value |= SymbolScope.comprehensionIterator
        }
        scope.flags[name] = value
        if flag & SymbolScope.global != 0 {
            if module.flags[name] == nil { module.order.append(name) }
            module.flags[name, default: 0] |= flag
        }
    }

    private mutating func enter(_ kind: SymbolScope.Kind) {
        let scope = SymbolScope(kind)
        current.children.append(scope)
        stack.append(scope)
    }

    private mutating func exit() {
        stack.removeLast()
    }

    mutating func visit(_ body: [Stmt]) throws {
        for stmt in body { try visit(stmt) }
    }

    mutating func visit(_ stmt: Stmt) throws {
        switch stmt.kind {
        case .expr(let value):
            try visit(value)
        case .assign(let targets, let value):
            for target in targets { try visit(target, store: true) }
            try visit(value)
        case .augAssign(let target, _, let value):
            try visit(target, store: true)
            try visit(value)
        case .annotatedAssign(let target, let annotation, let value):
            // `(x): int` is not "simple" (CPython's AnnAssign.simple): the
            // statement then starts at the parenthesis, not at the name.
            if case .name(let name, _) = target.kind, target.location == stmt.location {
                let existing = current.flags[name] ?? 0
                if existing & (SymbolScope.global | SymbolScope.nonlocal) != 0, current !== module {
                    let what = existing & SymbolScope.global != 0 ? "global" : "nonlocal"
                    throw ScriptError.syntax("annotated name '\(name)' can't be \(what)", stmt.location)
                }
                try addDef(name, SymbolScope.annotated | SymbolScope.local, at: target.location)
            } else {
                try visit(target, store: true)
            }
            try visit(annotation)
            if let value { try visit(value) }
        case .with(let items, let body):
            for item in items {
                try visit(item.context)
                if let name = item.name { try visit(name, store: true) }
            }
            try visit(body)
        case .forLoop(let target, let iterable, let body, let orElse):
            try visit(target, store: true)
            try visit(iterable)
            try visit(body)
            try visit(orElse)
        case .whileLoop(let test, let body, let orElse), .ifStmt(let test, let body, let orElse):
            try visit(test)
            try visit(body)
            try visit(orElse)
        case .tryStmt(let body, let handlers, let orElse, let final):
            try visit(body)
            try visit(orElse)
            for handler in handlers {
                if let type = handler.type { try visit(type) }
                if let name = handler.name { try visit(name, store: true) }
                try visit(handler.body)
            }
            try visit(final)
        case .raise(let exception, let cause):
            if let exception { try visit(exception) }
            if let cause { try visit(cause) }
        case .assert(let test, let message):
            try visit(test)
            if let message { try visit(message) }
        case .functionDef(let function):
            if let target = function.target, case .name(let name, _) = target.kind {
                try addDef(name, SymbolScope.local, at: stmt.location)
            }
            try visitDefaults(function.parameters)
            try visitAnnotations(function)
            for decorator in function.decorators { try visit(decorator) }
            enter(.function)
            try visitParameters(function.parameters)
            try visit(function.body)
            exit()
        case .classDef(let classDef):
            try addDef(classDef.name, SymbolScope.local, at: stmt.location)
            for base in classDef.bases { try visit(base) }
            for keyword in classDef.keywords { try visit(keyword.value) }
            for decorator in classDef.decorators { try visit(decorator) }
            enter(.classBody)
            try visit(classDef.body)
            exit()
        case .returnStmt(let value):
            if let value { try visit(value) }
        case .delete(let targets):
            for target in targets { try visit(target, store: true) }
        case .global(let names), .nonlocal(let names):
            let isGlobal = { if case .global = stmt.kind { return true } else { return false } }()
            for name in names {
                let existing = current.flags[name] ?? 0
                if existing & (SymbolScope.parameter | SymbolScope.local | SymbolScope.use | SymbolScope.annotated) != 0 {
                    let what = isGlobal ? "global" : "nonlocal"
                    let message: String
                    if existing & SymbolScope.parameter != 0 {
                        message = "name '\(name)' is parameter and \(what)"
                    } else if existing & SymbolScope.use != 0 {
                        message = "name '\(name)' is used prior to \(what) declaration"
                    } else if existing & SymbolScope.annotated != 0 {
                        message = "annotated name '\(name)' can't be \(what)"
                    } else {
                        message = "name '\(name)' is assigned to before \(what) declaration"
                    }
                    throw ScriptError.syntax(message, stmt.location)
                }
                try addDef(name, isGlobal ? SymbolScope.global : SymbolScope.nonlocal, at: stmt.location)
                current.directives.append((name, stmt.location))
            }
        case .pass, .break, .continue:
            break
        case .importModule(_, _, let target):
            if case .name(let name, _) = target.kind { try addDef(name, SymbolScope.imported, at: target.location) }
        case .importFrom(_, let names):
            for item in names {
                if item.name == "*" {
                    if current !== module {
                        throw ScriptError.syntax("import * only allowed at module level", item.target.location)
                    }
                    continue
                }
                if case .name(let name, _) = item.target.kind {
                    try addDef(name, SymbolScope.imported, at: item.target.location)
                }
            }
        }
    }

    private mutating func visitDefaults(_ parameters: Parameters) throws {
        for parameter in parameters.positionalOnly + parameters.regular {
            if let value = parameter.defaultValue { try visit(value) }
        }
        for parameter in parameters.keywordOnly {
            if let value = parameter.defaultValue { try visit(value) }
        }
    }

    private mutating func visitAnnotations(_ function: FunctionDef) throws {
        let p = function.parameters
        let ordered = p.positionalOnly + p.regular + [p.varArgs, p.varKeywords].compactMap { $0 } + p.keywordOnly
        for parameter in ordered {
            if let annotation = parameter.annotation { try visit(annotation) }
        }
        if let returns = function.returns { try visit(returns) }
    }

    private mutating func visitParameters(_ p: Parameters) throws {
        let ordered = p.positionalOnly + p.regular + p.keywordOnly + [p.varArgs, p.varKeywords].compactMap { $0 }
        for parameter in ordered {
            try addDef(parameter.name, SymbolScope.parameter, at: parameter.location)
        }
    }

    mutating func visit(_ expr: Expr, store: Bool = false) throws {
        if let awaited = Parser.awaited(expr) {
            try visit(awaited)
            current.isCoroutine = true
            return
        }
        switch expr.kind {
        case .int, .bigInt, .float, .string, .bool, .none, .ellipsis:
            break
        case .formatted(let parts):
            try visit(parts)
        case .name(let name, _):
            try addDef(name, store ? SymbolScope.local : SymbolScope.use, at: expr.location)
        case .attribute(let base, _):
            try visit(base)
        case .call(let callee, let args, let keywords):
            try visit(callee)
            for arg in args { try visit(arg) }
            for keyword in keywords { try visit(keyword.value) }
        case .subscript(let base, let index):
            try visit(base)
            try visit(index)
        case .slice(let lower, let upper, let step):
            for part in [lower, upper, step] { if let part { try visit(part) } }
        case .tuple(let items), .list(let items):
            for item in items { try visit(item, store: store) }
        case .set(let items):
            for item in items { try visit(item) }
        case .dict(let items):
            for key in items.compactMap(\.key) { try visit(key) }
            for item in items { try visit(item.value) }
        case .starred(let value):
            try visit(value, store: store)
        case .unary(_, let operand), .not(let operand):
            try visit(operand)
        case .binary(_, let left, let right):
            try visit(left)
            try visit(right)
        case .compare(let first, let rest):
            try visit(first)
            for link in rest { try visit(link.right) }
        case .boolean(_, let operands):
            for operand in operands { try visit(operand) }
        case .conditional(let then, let test, let orElse):
            try visit(test)
            try visit(then)
            try visit(orElse)
        case .lambda(let function):
            try visitDefaults(function.parameters)
            enter(.function)
            try visitParameters(function.parameters)
            if case .returnStmt(let body?)? = function.body.first?.kind { try visit(body) }
            exit()
        case .comprehension(let comprehension):
            try visitComprehension(comprehension, at: expr.location)
        case .namedExpr(let target, let value):
            if current.comprehensionIterableDepth > 0 {
                throw ScriptError.syntax("assignment expression cannot be used in a comprehension iterable expression",
                                         expr.location)
            }
            if current.comprehensionKind != nil { try extendNamedExpressionScope(target) }
            try visit(value)
            try visit(target, store: true)
        case .yield(let value):
            if let value { try visit(value) }
            try markYield(expr)
        case .yieldFrom(let value):
            try visit(value)
            try markYield(expr)
        }
    }

    private mutating func visit(_ parts: [FormattedPart]) throws {
        for part in parts {
            if case .value(let value, _, let spec) = part {
                try visit(value)
                try visit(spec)
            }
        }
    }

    private func markYield(_ expr: Expr) throws {
        current.isGenerator = true
        if let kind = current.comprehensionKind {
            let name = switch kind {
            case .list: "list comprehension"
            case .set: "set comprehension"
            case .dict: "dict comprehension"
            case .generator: "generator expression"
            }
            throw ScriptError.syntax("'yield' inside \(name)", expr.location)
        }
    }

    /// `symtable_handle_comprehension`
    private mutating func visitComprehension(_ comprehension: Comprehension, at location: SourceLocation) throws {
        let outermost = comprehension.clauses[0]
        current.comprehensionIterableDepth += 1
        try visit(outermost.iterable)
        current.comprehensionIterableDepth -= 1
        enter(.comprehension(comprehension.kind))
        if checks.isAsync(outermost) { current.isCoroutine = true }
        current.comprehensionIteratorTarget = true
        try visit(outermost.target, store: true)
        current.comprehensionIteratorTarget = false
        for condition in outermost.conditions { try visit(condition) }
        for clause in comprehension.clauses.dropFirst() {
            current.comprehensionIteratorTarget = true
            try visit(clause.target, store: true)
            current.comprehensionIteratorTarget = false
            current.comprehensionIterableDepth += 1
            try visit(clause.iterable)
            current.comprehensionIterableDepth -= 1
            for condition in clause.conditions { try visit(condition) }
            if checks.isAsync(clause) { current.isCoroutine = true }
        }
        if let value = comprehension.value { try visit(value) }
        try visit(comprehension.element)
        let isAsync = current.isCoroutine && comprehension.kind != .generator
        exit()
        if isAsync { current.isCoroutine = true }
    }

    /// `symtable_extend_namedexpr_scope`: a walrus in a comprehension
    /// binds in the enclosing function (or module).
    private func extendNamedExpressionScope(_ target: Expr) throws {
        guard case .name(let name, _) = target.kind else { return }
        for scope in stack.reversed() {
            if scope.comprehensionKind != nil {
                if (scope.flags[name] ?? 0) & SymbolScope.comprehensionIterator != 0 {
                    throw ScriptError.syntax(
                        "assignment expression cannot rebind comprehension iteration variable '\(name)'", target.location)
                }
                continue
            }
            switch scope.kind {
            case .function:
                let isGlobal = (scope.flags[name] ?? 0) & SymbolScope.global != 0
                try addDef(name, isGlobal ? SymbolScope.global : SymbolScope.nonlocal, at: target.location)
                current.directives.append((name, target.location))
                try addDef(name, SymbolScope.local, at: target.location, in: scope)
                return
            case .module:
                try addDef(name, SymbolScope.global, at: target.location)
                current.directives.append((name, target.location))
                try addDef(name, SymbolScope.global, at: target.location, in: scope)
                return
            case .classBody:
                throw ScriptError.syntax("assignment expression within a comprehension cannot be used in a class body",
                                         target.location)
            case .comprehension:
                continue
            }
        }
    }

    // MARK: Analysis

    /// `analyze_block`: `nonlocal` names need a binding in an enclosing
    /// function; module names first, then each child scope in order.
    func analyze() throws {
        try analyze(module, bound: nil)
    }

    private func analyze(_ scope: SymbolScope, bound incoming: Set<String>?) throws {
        var bound = incoming
        var local: Set<String> = []
        for name in scope.order {
            let flags = scope.flags[name] ?? 0
            if flags & SymbolScope.global != 0 {
                if flags & SymbolScope.nonlocal != 0 {
                    throw ScriptError.syntax("name '\(name)' is nonlocal and global",
                                             scope.directive(for: name) ?? SourceLocation(line: 1, column: 1))
                }
                bound?.remove(name)
                continue
            }
            if flags & SymbolScope.nonlocal != 0 {
                let at = scope.directive(for: name) ?? SourceLocation(line: 1, column: 1)
                guard let bound else {
                    throw ScriptError.syntax("nonlocal declaration not allowed at module level", at)
                }
                if !bound.contains(name) { throw ScriptError.syntax("no binding for nonlocal '\(name)' found", at) }
                continue
            }
            if flags & SymbolScope.bound != 0 { local.insert(name) }
        }
        var childBound = Set<String>()
        if scope.kind == .classBody {
            childBound = incoming ?? []
        } else {
            if scope.isFunctionBlock { childBound.formUnion(local) }
            if let bound { childBound.formUnion(bound) }
        }
        for child in scope.children { try analyze(child, bound: childBound) }
    }
}

// MARK: - Compiler

/// `compile.c`'s errors, in the order it generates code.
private struct CompilerChecks {
    enum Unit {
        case module, classBody, lambda, comprehension
        case function(isAsync: Bool, isGenerator: Bool)
    }

    let checks: CompileChecks
    let futureLine: Int
    let futureAnnotations: Bool
    var units: [Unit] = [.module]
    var loops: [Int] = [0]

    init(checks: CompileChecks, futureLine: Int, futureAnnotations: Bool) {
        self.checks = checks
        self.futureLine = futureLine
        self.futureAnnotations = futureAnnotations
    }

    var unit: Unit { units[units.count - 1] }

    /// Whether the code runs in a function's frame (CPython's FunctionBlock:
    /// functions, lambdas and comprehensions).
    var inFunctionBlock: Bool {
        switch unit {
        case .module, .classBody: return false
        default: return true
        }
    }

    var inAsyncFunction: Bool {
        if case .function(true, _) = unit { return true }
        return false
    }

    /// Annotations are evaluated only in modules and class bodies.
    var evaluatesAnnotations: Bool {
        switch unit {
        case .module, .classBody: return !futureAnnotations
        default: return false
        }
    }

    private mutating func enter(_ unit: Unit) {
        units.append(unit)
        loops.append(0)
    }

    private mutating func exit() {
        units.removeLast()
        loops.removeLast()
    }

    mutating func visit(_ body: [Stmt]) throws {
        for stmt in body { try visit(stmt) }
    }

    private func error(_ message: String, _ location: SourceLocation) -> ScriptError {
        .syntax(message, location)
    }

    private func checkName(_ name: String, store: Bool = true, at location: SourceLocation) throws {
        if name == "__debug__" {
            throw error(store ? "cannot assign to __debug__" : "cannot delete __debug__", location)
        }
    }

    mutating func visit(_ stmt: Stmt) throws {
        switch stmt.kind {
        case .expr(let value):
            try visit(value)
        case .assign(let targets, let value):
            try visit(value)
            for target in targets { try visitTarget(target) }
        case .augAssign(let target, _, let value):
            switch target.kind {
            case .attribute(let base, _): try visit(base)
            case .subscript(let base, let index):
                try visit(base)
                try visit(index)
            default: break
            }
            try visit(value)
            try visitTarget(target, loadedParts: true)
        case .annotatedAssign(let target, let annotation, let value):
            if let value {
                try visit(value)
                try visitTarget(target)
            }
            switch target.kind {
            case .name:
                if evaluatesAnnotations { try visit(annotation) }
            case .attribute(let base, _):
                if value == nil { try visit(base) }
                if evaluatesAnnotations { try visit(annotation) }
            case .subscript(let base, let index):
                if value == nil {
                    try visit(base)
                    try visit(index)
                }
                if evaluatesAnnotations { try visit(annotation) }
            default:
                break
            }
        case .with(let items, let body):
            if checks.isAsync(stmt) && !inAsyncFunction {
                throw error("'async with' outside async function", stmt.location)
            }
            for item in items {
                try visit(item.context)
                if let name = item.name { try visitTarget(name) }
            }
            try visit(body)
        case .forLoop(let target, let iterable, let body, let orElse):
            if checks.isAsync(stmt) && !inAsyncFunction {
                throw error("'async for' outside async function", stmt.location)
            }
            try visit(iterable)
            try visitTarget(target)
            loops[loops.count - 1] += 1
            try visit(body)
            loops[loops.count - 1] -= 1
            try visit(orElse)
        case .whileLoop(let test, let body, let orElse):
            try visit(test)
            loops[loops.count - 1] += 1
            try visit(body)
            loops[loops.count - 1] -= 1
            try visit(orElse)
        case .ifStmt(let test, let body, let orElse):
            try visit(test)
            try visit(body)
            try visit(orElse)
        case .tryStmt(let body, let handlers, let orElse, let final):
            // CPython emits the `else` block right after the body, then the handlers.
            try visit(body)
            try visit(orElse)
            for (index, handler) in handlers.enumerated() {
                if handler.type == nil && index < handlers.count - 1 {
                    throw error("default 'except:' must be last", handler.location)
                }
                if let type = handler.type { try visit(type) }
                if let name = handler.name { try visitTarget(name) }
                try visit(handler.body)
            }
            try visit(final)
        case .raise(let exception, let cause):
            if let exception { try visit(exception) }
            if let cause { try visit(cause) }
        case .assert(let test, let message):
            try visit(test)
            if let message { try visit(message) }
        case .functionDef(let function):
            try checkParameterNames(function.parameters, at: stmt.location)
            for decorator in function.decorators { try visit(decorator) }
            try visitDefaults(function.parameters)
            if !futureAnnotations { try visitAnnotations(function) }
            enter(.function(isAsync: checks.isAsync(function), isGenerator: function.isGenerator))
            try visit(function.body)
            exit()
            try checkName(function.name, at: stmt.location)
        case .classDef(let classDef):
            for decorator in classDef.decorators { try visit(decorator) }
            enter(.classBody)
            try visit(classDef.body)
            exit()
            try checkKeywords(classDef.keywords, at: stmt.location)
            for base in classDef.bases { try visitArgument(base) }
            for keyword in classDef.keywords { try visit(keyword.value) }
            try checkName(classDef.name, at: stmt.location)
        case .returnStmt(let value):
            guard case .function(_, let isGenerator) = unit else {
                throw error("'return' outside function", stmt.location)
            }
            if value != nil && inAsyncFunction && isGenerator {
                throw error("'return' with value in async generator", stmt.location)
            }
            if let value { try visit(value) }
        case .delete(let targets):
            for target in targets { try visitTarget(target, delete: true) }
        case .global, .nonlocal, .pass:
            break
        case .break:
            if loops[loops.count - 1] == 0 { throw error("'break' outside loop", stmt.location) }
        case .continue:
            if loops[loops.count - 1] == 0 { throw error("'continue' not properly in loop", stmt.location) }
        case .importModule(_, _, let target):
            if case .name(let name, _) = target.kind { try checkName(name, at: stmt.location) }
        case .importFrom(let module, let names):
            if module == "__future__" && stmt.location.line > futureLine {
                throw error("from __future__ imports must occur at the beginning of the file", stmt.location)
            }
            for item in names where item.name != "*" {
                if case .name(let name, _) = item.target.kind { try checkName(name, at: stmt.location) }
            }
        }
    }

    private func checkParameterNames(_ parameters: Parameters, at location: SourceLocation) throws {
        for parameter in parameters.all { try checkName(parameter.name, at: location) }
    }

    private mutating func visitDefaults(_ parameters: Parameters) throws {
        for parameter in parameters.positionalOnly + parameters.regular {
            if let value = parameter.defaultValue { try visit(value) }
        }
        for parameter in parameters.keywordOnly {
            if let value = parameter.defaultValue { try visit(value) }
        }
    }

    private mutating func visitAnnotations(_ function: FunctionDef) throws {
        let p = function.parameters
        let ordered = p.regular + p.positionalOnly + [p.varArgs].compactMap { $0 } + p.keywordOnly
            + [p.varKeywords].compactMap { $0 }
        for parameter in ordered {
            // `*args: *Ts` unpacks (PEP 646), so the star is allowed there.
            if let annotation = parameter.annotation { try visitArgument(annotation) }
        }
        if let returns = function.returns { try visit(returns) }
    }

    /// `validate_keywords`: the names of keyword arguments.
    private func checkKeywords(_ keywords: [Keyword], at location: SourceLocation) throws {
        for (index, keyword) in keywords.enumerated() {
            guard let name = keyword.name else { continue }
            try checkName(name, at: location)
            if let repeated = keywords[(index + 1)...].first(where: { $0.name == name }) {
                throw error("keyword argument repeated: \(name)", repeated.location)
            }
        }
    }

    /// An assignment (or `del`) target.
    private mutating func visitTarget(_ target: Expr, delete: Bool = false, loadedParts: Bool = false) throws {
        switch target.kind {
        case .name(let name, _):
            try checkName(name, store: !delete, at: target.location)
        case .attribute(let base, let name):
            if !loadedParts { try visit(base) }
            if name == "__debug__" { try checkName(name, store: !delete, at: target.location) }
        case .subscript(let base, let index):
            if !loadedParts {
                try visit(base)
                try visit(index)
            }
        case .tuple(let items), .list(let items):
            if items.filter({ if case .starred = $0.kind { return true } else { return false } }).count > 1 {
                throw error("multiple starred expressions in assignment", target.location)
            }
            for item in items {
                if case .starred(let value) = item.kind {
                    try visitTarget(value, delete: delete)
                } else {
                    try visitTarget(item, delete: delete)
                }
            }
        case .starred:
            throw error("starred assignment target must be in a list or tuple", target.location)
        default:
            try visit(target)
        }
    }

    /// A call argument or display element: `*value` is allowed there.
    private mutating func visitArgument(_ expr: Expr) throws {
        if case .starred(let value) = expr.kind {
            try visit(value)
        } else {
            try visit(expr)
        }
    }

    mutating func visit(_ expr: Expr) throws {
        if let awaited = Parser.awaited(expr) {
            switch unit {
            case .module, .classBody:
                throw error("'await' outside function", expr.location)
            case .function(false, _), .lambda:
                throw error("'await' outside async function", expr.location)
            default:
                break
            }
            try visit(awaited)
            return
        }
        switch expr.kind {
        case .int, .bigInt, .float, .string, .bool, .none, .ellipsis:
            break
        case .formatted(let parts):
            try visit(parts)
        case .name:
            break
        case .attribute(let base, _):
            try visit(base)
        case .call(let callee, let args, let keywords):
            try checkKeywords(keywords, at: expr.location)
            try visit(callee)
            for arg in args { try visitArgument(arg) }
            for keyword in keywords { try visit(keyword.value) }
        case .subscript(let base, let index):
            try visit(base)
            try visit(index)
        case .slice(let lower, let upper, let step):
            for part in [lower, upper, step] { if let part { try visit(part) } }
        case .tuple(let items), .list(let items), .set(let items):
            for item in items { try visitArgument(item) }
        case .dict(let items):
            for item in items {
                if let key = item.key { try visit(key) }
                try visit(item.value)
            }
        case .starred:
            throw error("can't use starred expression here", expr.location)
        case .unary(_, let operand), .not(let operand):
            try visit(operand)
        case .binary(_, let left, let right):
            try visit(left)
            try visit(right)
        case .compare(let first, let rest):
            try visit(first)
            for link in rest { try visit(link.right) }
        case .boolean(_, let operands):
            for operand in operands { try visit(operand) }
        case .conditional(let then, let test, let orElse):
            try visit(test)
            try visit(then)
            try visit(orElse)
        case .lambda(let function):
            try checkParameterNames(function.parameters, at: expr.location)
            try visitDefaults(function.parameters)
            enter(.lambda)
            if case .returnStmt(let body?)? = function.body.first?.kind { try visit(body) }
            exit()
        case .comprehension(let comprehension):
            try visitComprehension(comprehension, at: expr.location)
        case .namedExpr(let target, let value):
            try visit(value)
            try visitTarget(target)
        case .yield(let value):
            guard inFunctionBlock else { throw error("'yield' outside function", expr.location) }
            if let value { try visit(value) }
        case .yieldFrom(let value):
            guard inFunctionBlock else { throw error("'yield' outside function", expr.location) }
            if inAsyncFunction { throw error("'yield from' inside async function", expr.location) }
            try visit(value)
        }
    }

    private mutating func visit(_ parts: [FormattedPart]) throws {
        for part in parts {
            if case .value(let value, _, let spec) = part {
                try visit(value)
                try visit(spec)
            }
        }
    }

    /// `compiler_comprehension`: the body in its own scope, then the first
    /// iterable in the enclosing one.
    private mutating func visitComprehension(_ comprehension: Comprehension, at location: SourceLocation) throws {
        if comprehension.kind != .generator && Self.isAsync(comprehension, checks) {
            switch unit {
            case .function(true, _), .comprehension: break
            default: throw error("asynchronous comprehension outside of an asynchronous function", location)
            }
        }
        enter(.comprehension)
        for (index, clause) in comprehension.clauses.enumerated() {
            if index > 0 { try visit(clause.iterable) }
            try visitTarget(clause.target)
            for condition in clause.conditions { try visit(condition) }
        }
        try visit(comprehension.element)
        if let value = comprehension.value { try visit(value) }
        exit()
        try visit(comprehension.clauses[0].iterable)
    }

    /// Whether a comprehension's own scope is asynchronous: an `async for`,
    /// an `await`, or an asynchronous comprehension (not a generator
    /// expression) inside it, first iterable excepted.
    static func isAsync(_ comprehension: Comprehension, _ checks: CompileChecks) -> Bool {
        var finder = AsyncFinder(checks: checks)
        for (index, clause) in comprehension.clauses.enumerated() {
            if checks.isAsync(clause) { return true }
            if index > 0 { finder.scan(clause.iterable) }
            finder.scan(clause.target)
            for condition in clause.conditions { finder.scan(condition) }
        }
        finder.scan(comprehension.element)
        if let value = comprehension.value { finder.scan(value) }
        return finder.makesAsync
    }
}

// MARK: - Async

/// Finds `async` and `await` in a tree: for refusals, and for whether a
/// comprehension's scope is asynchronous.
private struct AsyncFinder {
    let checks: CompileChecks
    var found: [ScriptError] = []
    /// Whether `scan` met an await or an async comprehension in the
    /// current scope (not inside nested functions or generator expressions).
    var makesAsync = false

    init(checks: CompileChecks) { self.checks = checks }

    mutating func visit(_ body: [Stmt]) {
        for stmt in body { visit(stmt) }
    }

    mutating func visit(_ stmt: Stmt) {
        if case .functionDef(let function) = stmt.kind, checks.isAsync(function) {
            found.append(.unsupported("'async def' is not supported in model scripts", stmt.location))
        } else if checks.isAsync(stmt) {
            let what = { if case .forLoop = stmt.kind { return "async for" } else { return "async with" } }()
            found.append(.unsupported("'\(what)' is not supported in model scripts", stmt.location))
        }
        StmtWalker.children(of: stmt, statements: { visit($0) }, expressions: { visit($0) })
    }

    mutating func visit(_ expr: Expr) {
        if Parser.awaited(expr) != nil {
            found.append(.unsupported("'await' is not supported in model scripts", expr.location))
        }
        if case .comprehension(let comprehension) = expr.kind, comprehension.clauses.contains(where: checks.isAsync) {
            found.append(.unsupported("asynchronous comprehensions are not supported in model scripts", expr.location))
        }
        StmtWalker.children(of: expr, statements: { visit($0) }, expressions: { visit($0) })
    }

    /// Looks for what makes a comprehension asynchronous, staying in its scope.
    mutating func scan(_ expr: Expr) {
        if Parser.awaited(expr) != nil { makesAsync = true }
        switch expr.kind {
        case .lambda:
            return
        case .comprehension(let inner):
            scan(inner.clauses[0].iterable)
            if inner.kind != .generator && CompilerChecks.isAsync(inner, checks) { makesAsync = true }
            return
        default:
            StmtWalker.children(of: expr, statements: { _ in }, expressions: { scan($0) })
        }
    }
}

/// Whether a function body holds `yield` outside nested functions, lambdas,
/// classes and comprehensions (whose first iterable still counts: it runs
/// in the function).
struct YieldFinder {
    var found = false

    mutating func visit(_ stmt: Stmt) {
        guard !found else { return }
        switch stmt.kind {
        case .functionDef(let function):
            for decorator in function.decorators { visit(decorator) }
            for parameter in function.parameters.all {
                if let value = parameter.defaultValue { visit(value) }
                if let annotation = parameter.annotation { visit(annotation) }
            }
            if let returns = function.returns { visit(returns) }
        case .classDef(let classDef):
            for expr in classDef.decorators + classDef.bases + classDef.keywords.map(\.value) { visit(expr) }
        default:
            StmtWalker.children(of: stmt, statements: { visit($0) }, expressions: { visit($0) })
        }
    }

    mutating func visit(_ expr: Expr) {
        guard !found else { return }
        switch expr.kind {
        case .yield, .yieldFrom:
            found = true
        case .lambda(let function):
            for parameter in function.parameters.all {
                if let value = parameter.defaultValue { visit(value) }
            }
        case .comprehension(let comprehension):
            visit(comprehension.clauses[0].iterable)
        default:
            StmtWalker.children(of: expr, statements: { visit($0) }, expressions: { visit($0) })
        }
    }
}

/// The direct children of a node, for walkers that treat most nodes alike.
enum StmtWalker {
    static func children(of stmt: Stmt, statements: (Stmt) -> Void, expressions: (Expr) -> Void) {
        switch stmt.kind {
        case .expr(let value):
            expressions(value)
        case .assign(let targets, let value):
            targets.forEach(expressions)
            expressions(value)
        case .augAssign(let target, _, let value):
            expressions(target)
            expressions(value)
        case .annotatedAssign(let target, let annotation, let value):
            expressions(target)
            expressions(annotation)
            if let value { expressions(value) }
        case .with(let items, let body):
            for item in items {
                expressions(item.context)
                if let name = item.name { expressions(name) }
            }
            body.forEach(statements)
        case .forLoop(let target, let iterable, let body, let orElse):
            expressions(target)
            expressions(iterable)
            body.forEach(statements)
            orElse.forEach(statements)
        case .whileLoop(let test, let body, let orElse), .ifStmt(let test, let body, let orElse):
            expressions(test)
            body.forEach(statements)
            orElse.forEach(statements)
        case .tryStmt(let body, let handlers, let orElse, let final):
            body.forEach(statements)
            for handler in handlers {
                if let type = handler.type { expressions(type) }
                if let name = handler.name { expressions(name) }
                handler.body.forEach(statements)
            }
            orElse.forEach(statements)
            final.forEach(statements)
        case .raise(let exception, let cause):
            if let exception { expressions(exception) }
            if let cause { expressions(cause) }
        case .assert(let test, let message):
            expressions(test)
            if let message { expressions(message) }
        case .functionDef(let function):
            function.decorators.forEach(expressions)
            for parameter in function.parameters.all {
                if let value = parameter.defaultValue { expressions(value) }
                if let annotation = parameter.annotation { expressions(annotation) }
            }
            if let returns = function.returns { expressions(returns) }
            function.body.forEach(statements)
        case .classDef(let classDef):
            classDef.decorators.forEach(expressions)
            classDef.bases.forEach(expressions)
            classDef.keywords.map(\.value).forEach(expressions)
            classDef.body.forEach(statements)
        case .returnStmt(let value):
            if let value { expressions(value) }
        case .delete(let targets):
            targets.forEach(expressions)
        case .global, .nonlocal, .pass, .break, .continue, .importModule, .importFrom:
            break
        }
    }

    static func children(of expr: Expr, statements: (Stmt) -> Void, expressions: (Expr) -> Void) {
        func parts(_ list: [FormattedPart]) {
            for part in list {
                if case .value(let value, _, let spec) = part {
                    expressions(value)
                    parts(spec)
                }
            }
        }
        switch expr.kind {
        case .int, .bigInt, .float, .string, .bool, .none, .ellipsis, .name:
            break
        case .formatted(let list):
            parts(list)
        case .attribute(let base, _):
            expressions(base)
        case .call(let callee, let args, let keywords):
            expressions(callee)
            args.forEach(expressions)
            keywords.map(\.value).forEach(expressions)
        case .subscript(let base, let index):
            expressions(base)
            expressions(index)
        case .slice(let lower, let upper, let step):
            [lower, upper, step].compactMap { $0 }.forEach(expressions)
        case .tuple(let items), .list(let items), .set(let items):
            items.forEach(expressions)
        case .dict(let items):
            for item in items {
                if let key = item.key { expressions(key) }
                expressions(item.value)
            }
        case .starred(let value), .unary(_, let value), .not(let value), .yieldFrom(let value):
            expressions(value)
        case .binary(_, let left, let right):
            expressions(left)
            expressions(right)
        case .compare(let first, let rest):
            expressions(first)
            rest.map(\.right).forEach(expressions)
        case .boolean(_, let operands):
            operands.forEach(expressions)
        case .conditional(let then, let test, let orElse):
            expressions(test)
            expressions(then)
            expressions(orElse)
        case .lambda(let function):
            for parameter in function.parameters.all {
                if let value = parameter.defaultValue { expressions(value) }
            }
            function.body.forEach(statements)
        case .comprehension(let comprehension):
            for clause in comprehension.clauses {
                expressions(clause.iterable)
                expressions(clause.target)
                clause.conditions.forEach(expressions)
            }
            expressions(comprehension.element)
            if let value = comprehension.value { expressions(value) }
        case .namedExpr(let target, let value):
            expressions(value)
            expressions(target)
        case .yield(let value):
            if let value { expressions(value) }
        }
    }
}
