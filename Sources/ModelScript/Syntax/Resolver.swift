/// Gives every name in a parsed script the slot it lives in, once, before
/// the script runs (CPython's symbol table, in miniature).
///
/// Python decides scope statically: a name assigned anywhere in a function
/// is local to it (unless declared `global` or `nonlocal`), a name an inner
/// function reads from an enclosing function lives in a *cell* both share,
/// and everything else is a module global (or a builtin). Two passes over
/// the tree do the same here: `Analysis` collects each scope's bindings and
/// uses, then `Rewrite` turns every `.name(n, .unresolved)` into `.local`,
/// `.cell`, `.global` or `.classLocal`, and fills each function's, class
/// body's and comprehension's `ScopeLayout`. Both passes meet scopes in the
/// same (pre)order, which is how the second finds the first's results.
///
/// Scope errors CPython reports at compile time ("name 'x' is used prior to
/// global declaration", "no binding for nonlocal 'x' found") are raised
/// here as `ScriptError.syntax`, before anything runs.
public struct ResolvedScript {
    public var body: [Stmt]
    /// The module's global slots, by slot.
    public var globals: [String]
}

public enum Resolver {
    public static func resolve(_ body: [Stmt]) throws -> ResolvedScript {
        let module = Scope(kind: .module, parent: nil, name: "<module>")
        var analysis = Analysis(current: module)
        try analysis.block(body)
        try module.finish()
        var rewrite = Rewrite(scopes: analysis.order, module: module)
        let resolved = try rewrite.block(body, in: module)
        return ResolvedScript(body: resolved, globals: module.globalSlots.names)
    }
}

/// One scope: the module, a function (or lambda), a class body or a comprehension.
final class Scope {
    enum Kind { case module, function, classBody, comprehension }
    let kind: Kind
    let parent: Scope?
    let name: String
    /// Names bound here (assigned, imported, defined, parameters), in order.
    private(set) var bound: [String] = []
    private var boundSet: Set<String> = []
    var declaredGlobal: Set<String> = []
    var declaredNonlocal: Set<String> = []
    /// Where each `global`/`nonlocal` was declared, for errors.
    var declarations: [String: SourceLocation] = [:]
    var parameters: [String] = []
    var children: [Scope] = []
    /// Names read or written here that are not bound here: candidates for
    /// free variables.
    var used: Set<String> = []

    // Results.
    /// The module's globals (only on the module scope).
    var globalSlots = Slots()
    var localSlots = Slots()
    /// Own cells first (variables inner scopes capture), then free ones.
    var cellSlots = Slots()
    var ownCellCount = 0
    /// Variables of this scope that inner scopes capture.
    var captured: Set<String> = []
    /// Free variables, resolved from enclosing function scopes.
    var free: [String] = []

    init(kind: Kind, parent: Scope?, name: String) {
        self.kind = kind
        self.parent = parent
        self.name = name
        parent?.children.append(self)
    }

    func bind(_ name: String) {
        if boundSet.insert(name).inserted { bound.append(name) }
    }

    func isBound(_ name: String) -> Bool { boundSet.contains(name) }

    var module: Scope { parent?.module ?? self }

    /// Whether `name` is a variable of this function-like scope (bound here
    /// and not declared global or nonlocal).
    func isLocalVariable(_ name: String) -> Bool {
        kind != .module && kind != .classBody && isBound(name)
            && !declaredGlobal.contains(name) && !declaredNonlocal.contains(name)
    }

    /// The nearest enclosing function-like scope (classes are skipped: their
    /// names are not visible to the functions inside them) binding `name`.
    func enclosingBinding(of name: String) -> Scope? {
        var scope = parent
        while let s = scope {
            switch s.kind {
            case .module: return nil
            case .classBody: break
            case .function, .comprehension:
                if s.declaredGlobal.contains(name) { return nil }
                if s.isLocalVariable(name) { return s }
            }
            scope = s.parent
        }
        return nil
    }

    /// After analysis of the whole module: decides every scope's variables
    /// (outermost first, so captures are known before inner ones look them up).
    func finish() throws {
        if kind == .module {
            for name in bound { _ = module.globalSlots.slot(name) }
        }
        for name in declaredNonlocal {
            guard enclosingBinding(of: name) != nil else {
                throw ScriptError.syntax("no binding for nonlocal '\(name)' found", declarations[name] ?? SourceLocation(line: 1, column: 1))
            }
        }
        for child in children { try child.finishFree() }
        for child in children { try child.finish() }
    }

    /// Marks the free variables of this scope and of every scope inside it
    /// as captured where they are bound, threading them through the scopes
    /// in between.
    private func finishFree() throws {
        var names = Array(used) + Array(declaredNonlocal)
        names.sort()
        for name in names {
            if kind == .classBody && isBound(name) && !declaredNonlocal.contains(name) { continue }
            if kind != .classBody && isLocalVariable(name) { continue }
            if declaredGlobal.contains(name) { continue }
            guard let owner = enclosingBinding(of: name) else { continue }
            owner.captured.insert(name)
            // Every scope between here and the owner (class bodies included:
            // the functions they define are made in their frames) passes it on.
            var scope: Scope? = self
            while let s = scope, s !== owner {
                if !s.free.contains(name) { s.free.append(name) }
                scope = s.parent
            }
        }
    }

    /// Lays out locals and cells (called by the rewrite pass on entering).
    func layout() {
        guard kind != .module else { return }
        if kind == .classBody {
            for name in bound where !declaredGlobal.contains(name) && !declaredNonlocal.contains(name) { _ = localSlots.slot(name) }
        } else {
            for name in parameters + bound where isLocalVariable(name) {
                if captured.contains(name) { _ = cellSlots.slot(name) } else { _ = localSlots.slot(name) }
            }
        }
        ownCellCount = cellSlots.names.count
        for name in free { _ = cellSlots.slot(name) }
    }
}

/// Names to slot numbers, in first-seen order.
struct Slots {
    private(set) var names: [String] = []
    private var index: [String: Int] = [:]
    mutating func slot(_ name: String) -> Int {
        if let i = index[name] { return i }
        names.append(name)
        index[name] = names.count - 1
        return names.count - 1
    }
    func lookup(_ name: String) -> Int? { index[name] }
}

// MARK: - Pass 1: what each scope binds and uses

private struct Analysis {
    var current: Scope
    /// Every scope but the module, in preorder.
    var order: [Scope] = []

    mutating func enter(_ kind: Scope.Kind, _ name: String, _ body: (inout Analysis) throws -> Void) rethrows {
        let scope = Scope(kind: kind, parent: current, name: name)
        order.append(scope)
        let outer = current
        current = scope
        defer { current = outer }
        try body(&self)
    }

    mutating func block(_ stmts: [Stmt]) throws { for s in stmts { try stmt(s) } }

    mutating func stmt(_ s: Stmt) throws {
        switch s.kind {
        case .expr(let e): try expr(e)
        case .assign(let targets, let value):
            try expr(value)
            for t in targets { try target(t) }
        case .augAssign(let t, _, let value):
            try expr(value)
            try target(t)
            if case .name(let n, _) = t.kind { use(n) }
        case .annotatedAssign(let t, _, let value):
            if let value { try expr(value) }
            if value != nil || isName(t) { try target(t) }
        case .with(let items, let body):
            for item in items {
                try expr(item.context)
                if let name = item.name { try target(name) }
            }
            try block(body)
        case .forLoop(let t, let iterable, let body, let orElse):
            try expr(iterable)
            try target(t)
            try block(body)
            try block(orElse)
        case .whileLoop(let test, let body, let orElse):
            try expr(test)
            try block(body)
            try block(orElse)
        case .ifStmt(let test, let body, let orElse):
            try expr(test)
            try block(body)
            try block(orElse)
        case .tryStmt(let body, let handlers, let orElse, let final):
            try block(body)
            for h in handlers {
                if let type = h.type { try expr(type) }
                if let name = h.name { try target(name) }
                try block(h.body)
            }
            try block(orElse)
            try block(final)
        case .raise(let exception, let cause):
            if let exception { try expr(exception) }
            if let cause { try expr(cause) }
        case .assert(let test, let message):
            try expr(test)
            if let message { try expr(message) }
        case .functionDef(let f):
            try function(f)
            if let t = f.target { try target(t) }
        case .classDef(let c):
            for d in c.decorators { try expr(d) }
            for b in c.bases { try expr(b) }
            for k in c.keywords { try expr(k.value) }
            try enter(.classBody, c.name) { try $0.block(c.body) }
            try target(c.target)
        case .returnStmt(let value):
            if let value { try expr(value) }
        case .delete(let targets):
            for t in targets { try target(t) }
        case .global(let names):
            for n in names { try declare(n, global: true, at: s.location) }
        case .nonlocal(let names):
            for n in names { try declare(n, global: false, at: s.location) }
        case .importModule(_, _, let t):
            try target(t)
        case .importFrom(_, let names):
            for n in names { try target(n.target) }
        case .pass, .break, .continue:
            break
        }
    }

    private func isName(_ e: Expr) -> Bool { if case .name = e.kind { return true } else { return false } }

    mutating func declare(_ name: String, global: Bool, at location: SourceLocation) throws {
        let keyword = global ? "global" : "nonlocal"
        if current.isBound(name) || current.used.contains(name) {
            let what = current.parameters.contains(name) ? "name '\(name)' is parameter and \(keyword)"
                : current.isBound(name) ? "name '\(name)' is assigned to before \(keyword) declaration"
                : "name '\(name)' is used prior to \(keyword) declaration"
            throw ScriptError.syntax(what, location)
        }
        if global {
            if current.declaredNonlocal.contains(name) { throw ScriptError.syntax("name '\(name)' is nonlocal and global", location) }
            current.declaredGlobal.insert(name)
            current.module.globalSlotsReserve(name)
        } else {
            if current.declaredGlobal.contains(name) { throw ScriptError.syntax("name '\(name)' is nonlocal and global", location) }
            current.declaredNonlocal.insert(name)
        }
        current.declarations[name] = location
    }

    mutating func use(_ name: String) {
        if !current.isBound(name) || current.kind == .classBody { current.used.insert(name) }
    }

    mutating func target(_ t: Expr) throws {
        switch t.kind {
        case .name(let n, _):
            if current.declaredGlobal.contains(n) {
                current.module.globalSlotsReserve(n)
            } else {
                current.bind(n)
            }
        case .tuple(let items), .list(let items):
            for item in items { try target(item) }
        case .starred(let inner):
            try target(inner)
        case .attribute(let base, _):
            try expr(base)
        case .subscript(let base, let index):
            try expr(base)
            try expr(index)
        default:
            try expr(t)
        }
    }

    mutating func function(_ f: FunctionDef) throws {
        for d in f.decorators { try expr(d) }
        for p in f.parameters.all { if let d = p.defaultValue { try expr(d) } }
        try enter(.function, f.name) { a in
            for p in f.parameters.all {
                a.current.parameters.append(p.name)
                a.current.bind(p.name)
            }
            try a.block(f.body)
        }
    }

    mutating func expr(_ e: Expr) throws {
        switch e.kind {
        case .int, .bigInt, .float, .string, .bool, .none, .ellipsis:
            break
        case .formatted(let parts):
            try formatted(parts)
        case .name(let n, _):
            use(n)
        case .attribute(let base, _):
            try expr(base)
        case .call(let callee, let args, let keywords):
            try expr(callee)
            for a in args { try expr(a) }
            for k in keywords { try expr(k.value) }
        case .subscript(let base, let index):
            try expr(base)
            try expr(index)
        case .slice(let lower, let upper, let step):
            for part in [lower, upper, step] { if let part { try expr(part) } }
        case .tuple(let items), .list(let items), .set(let items):
            for item in items { try expr(item) }
        case .dict(let items):
            for item in items {
                if let key = item.key { try expr(key) }
                try expr(item.value)
            }
        case .starred(let inner), .not(let inner), .unary(_, let inner), .yieldFrom(let inner):
            try expr(inner)
        case .yield(let inner):
            if let inner { try expr(inner) }
        case .binary(_, let a, let b):
            try expr(a)
            try expr(b)
        case .compare(let first, let rest):
            try expr(first)
            for link in rest { try expr(link.right) }
        case .boolean(_, let operands):
            for o in operands { try expr(o) }
        case .conditional(let then, let test, let orElse):
            try expr(test)
            try expr(then)
            try expr(orElse)
        case .lambda(let f):
            try function(f)
        case .comprehension(let c):
            // The first iterable belongs to the enclosing scope.
            if let first = c.clauses.first { try expr(first.iterable) }
            try enter(.comprehension, "<\(c.kind == .generator ? "genexpr" : "\(c.kind.rawValue)comp")>") { a in
                for (k, clause) in c.clauses.enumerated() {
                    if k > 0 { try a.expr(clause.iterable) }
                    try a.target(clause.target)
                    for cond in clause.conditions { try a.expr(cond) }
                }
                try a.expr(c.element)
                if let v = c.value { try a.expr(v) }
            }
        case .namedExpr(let t, let value):
            try expr(value)
            // PEP 572: binds in the nearest scope that is not a comprehension.
            guard case .name(let n, _) = t.kind else { return }
            var scope = current
            while scope.kind == .comprehension, let p = scope.parent { scope = p }
            if scope.kind == .classBody && current.kind == .comprehension {
                throw ScriptError.syntax("assignment expression within a comprehension cannot be used in a class body", t.location)
            }
            let outer = current
            current = scope
            try target(t)
            current = outer
            if scope !== current { current.used.insert(n) }
        }
    }

    mutating func formatted(_ parts: [FormattedPart]) throws {
        for part in parts {
            if case .value(let e, _, let spec) = part {
                try expr(e)
                try formatted(spec)
            }
        }
    }
}

extension Scope {
    /// A `global x` in a function makes `x` a module global even if the
    /// module never assigns it.
    func globalSlotsReserve(_ name: String) { _ = globalSlots.slot(name) }
}

// MARK: - Pass 2: rewrite names to slots

private struct Rewrite {
    var scopes: [Scope]
    var next = 0
    let module: Scope

    init(scopes: [Scope], module: Scope) {
        self.scopes = scopes
        self.module = module
    }

    mutating func nextScope() -> Scope {
        let s = scopes[next]
        next += 1
        s.layout()
        return s
    }

    func ref(_ name: String, in scope: Scope) -> NameRef {
        switch scope.kind {
        case .module:
            return .global(module.globalSlots.slot(name))
        case .classBody:
            if scope.declaredGlobal.contains(name) { return .global(module.globalSlots.slot(name)) }
            let outer: NameRef
            if let cell = scope.cellSlots.lookup(name) {
                outer = .cell(cell)
            } else {
                outer = .global(module.globalSlots.slot(name))
            }
            // A name the body binds is LOAD_NAME: the class namespace, then
            // globals and builtins, never an enclosing function's variable
            // (even one the body's methods capture as a cell).
            if !scope.declaredNonlocal.contains(name), let slot = scope.localSlots.lookup(name) {
                return .classLocal(slot, fallback: .global(module.globalSlots.slot(name)))
            }
            return outer
        case .function, .comprehension:
            if scope.declaredGlobal.contains(name) { return .global(module.globalSlots.slot(name)) }
            if let cell = scope.cellSlots.lookup(name) { return .cell(cell) }
            if let local = scope.localSlots.lookup(name) { return .local(local) }
            return .global(module.globalSlots.slot(name))
        }
    }

    /// The layout a function-like scope hands the evaluator.
    func layout(of scope: Scope, parameters: [String]) -> ScopeLayout {
        var layout = ScopeLayout()
        layout.locals = scope.localSlots.names
        layout.cells = scope.cellSlots.names
        layout.ownCells = scope.ownCellCount
        let creator = scope.parent!
        layout.freeSources = scope.free.map { name in
            // The creating scope holds every free variable of its children
            // as a cell (its own, or passed through).
            creator.cellSlots.lookup(name) ?? -1
        }
        layout.parameterSlots = parameters.map { ref($0, in: scope) }
        return layout
    }

    mutating func block(_ stmts: [Stmt], in scope: Scope) throws -> [Stmt] {
        try stmts.map { try stmt($0, in: scope) }
    }

    mutating func stmt(_ s: Stmt, in scope: Scope) throws -> Stmt {
        var out = s
        switch s.kind {
        case .expr(let e):
            out.kind = .expr(try expr(e, in: scope))
        case .assign(let targets, let value):
            let v = try expr(value, in: scope)
            out.kind = .assign(targets: try targets.map { try expr($0, in: scope) }, value: v)
        case .augAssign(let t, let op, let value):
            let v = try expr(value, in: scope)
            out.kind = .augAssign(target: try expr(t, in: scope), op: op, value: v)
        case .annotatedAssign(let t, let annotation, let value):
            let v = try value.map { try expr($0, in: scope) }
            out.kind = .annotatedAssign(target: try expr(t, in: scope), annotation: annotation, value: v)
        case .with(let items, let body):
            let resolved = try items.map { item in
                WithItem(context: try expr(item.context, in: scope), name: try item.name.map { try expr($0, in: scope) })
            }
            out.kind = .with(items: resolved, body: try block(body, in: scope))
        case .forLoop(let t, let iterable, let body, let orElse):
            let it = try expr(iterable, in: scope)
            out.kind = .forLoop(target: try expr(t, in: scope), iterable: it, body: try block(body, in: scope),
                                orElse: try block(orElse, in: scope))
        case .whileLoop(let test, let body, let orElse):
            out.kind = .whileLoop(test: try expr(test, in: scope), body: try block(body, in: scope), orElse: try block(orElse, in: scope))
        case .ifStmt(let test, let body, let orElse):
            out.kind = .ifStmt(test: try expr(test, in: scope), body: try block(body, in: scope), orElse: try block(orElse, in: scope))
        case .tryStmt(let body, let handlers, let orElse, let final):
            let b = try block(body, in: scope)
            let hs = try handlers.map { h -> ExceptHandler in
                var r = h
                r.type = try h.type.map { try expr($0, in: scope) }
                r.name = try h.name.map { try expr($0, in: scope) }
                r.body = try block(h.body, in: scope)
                return r
            }
            out.kind = .tryStmt(body: b, handlers: hs, orElse: try block(orElse, in: scope), finally: try block(final, in: scope))
        case .raise(let exception, let cause):
            out.kind = .raise(exception: try exception.map { try expr($0, in: scope) }, cause: try cause.map { try expr($0, in: scope) })
        case .assert(let test, let message):
            out.kind = .assert(test: try expr(test, in: scope), message: try message.map { try expr($0, in: scope) })
        case .functionDef(let f):
            out.kind = .functionDef(try function(f, in: scope))
        case .classDef(let c):
            var r = c
            r.decorators = try c.decorators.map { try expr($0, in: scope) }
            r.bases = try c.bases.map { try expr($0, in: scope) }
            r.keywords = try c.keywords.map { k in Keyword(name: k.name, value: try expr(k.value, in: scope), location: k.location) }
            let body = nextScope()
            r.body = try block(c.body, in: body)
            r.scope = layout(of: body, parameters: [])
            r.target = try expr(c.target, in: scope)
            out.kind = .classDef(r)
        case .returnStmt(let value):
            out.kind = .returnStmt(try value.map { try expr($0, in: scope) })
        case .delete(let targets):
            out.kind = .delete(try targets.map { try expr($0, in: scope) })
        case .importModule(let module, let alias, let t):
            out.kind = .importModule(module: module, alias: alias, target: try expr(t, in: scope))
        case .importFrom(let module, let names):
            out.kind = .importFrom(module: module, names: try names.map { n in
                ImportName(name: n.name, alias: n.alias, target: try expr(n.target, in: scope))
            })
        case .global, .nonlocal, .pass, .break, .continue:
            break
        }
        return out
    }

    mutating func function(_ f: FunctionDef, in scope: Scope) throws -> FunctionDef {
        var r = f
        r.decorators = try f.decorators.map { try expr($0, in: scope) }
        func resolveDefaults(_ ps: [Parameter]) throws -> [Parameter] {
            try ps.map { p in
                var q = p
                q.defaultValue = try p.defaultValue.map { try expr($0, in: scope) }
                return q
            }
        }
        r.parameters.positionalOnly = try resolveDefaults(f.parameters.positionalOnly)
        r.parameters.regular = try resolveDefaults(f.parameters.regular)
        r.parameters.keywordOnly = try resolveDefaults(f.parameters.keywordOnly)
        let body = nextScope()
        r.body = try block(f.body, in: body)
        r.scope = layout(of: body, parameters: f.parameters.all.map(\.name))
        r.target = try f.target.map { try expr($0, in: scope) }
        return r
    }

    mutating func expr(_ e: Expr, in scope: Scope) throws -> Expr {
        var out = e
        switch e.kind {
        case .int, .bigInt, .float, .string, .bool, .none, .ellipsis:
            return e
        case .formatted(let parts):
            out.kind = .formatted(try formatted(parts, in: scope))
        case .name(let n, _):
            out.kind = .name(n, ref(n, in: scope))
        case .attribute(let base, let name):
            out.kind = .attribute(try expr(base, in: scope), name: name)
        case .call(let callee, let args, let keywords):
            // exec and eval would run text autograd-viz never parsed: refused
            // before anything runs, like any construct outside the language.
            if case .name(let n, _) = callee.kind, ["exec", "eval", "compile"].contains(n), case .global = ref(n, in: scope),
               !module.isBound(n) {
                throw ScriptError.unsupported("\(n)() is not supported by autograd-viz: a script runs only code it can read before it starts", callee.location)
            }
            out.kind = .call(try expr(callee, in: scope), args: try args.map { try expr($0, in: scope) },
                             keywords: try keywords.map { k in Keyword(name: k.name, value: try expr(k.value, in: scope), location: k.location) })
        case .subscript(let base, let index):
            out.kind = .subscript(try expr(base, in: scope), index: try expr(index, in: scope))
        case .slice(let lower, let upper, let step):
            out.kind = .slice(lower: try lower.map { try expr($0, in: scope) }, upper: try upper.map { try expr($0, in: scope) },
                              step: try step.map { try expr($0, in: scope) })
        case .tuple(let items): out.kind = .tuple(try items.map { try expr($0, in: scope) })
        case .list(let items): out.kind = .list(try items.map { try expr($0, in: scope) })
        case .set(let items): out.kind = .set(try items.map { try expr($0, in: scope) })
        case .dict(let items):
            out.kind = .dict(try items.map { DictItem(key: try $0.key.map { try expr($0, in: scope) }, value: try expr($0.value, in: scope)) })
        case .starred(let inner): out.kind = .starred(try expr(inner, in: scope))
        case .not(let inner): out.kind = .not(try expr(inner, in: scope))
        case .unary(let op, let inner): out.kind = .unary(op, try expr(inner, in: scope))
        case .yieldFrom(let inner): out.kind = .yieldFrom(try expr(inner, in: scope))
        case .yield(let inner): out.kind = .yield(try inner.map { try expr($0, in: scope) })
        case .binary(let op, let a, let b): out.kind = .binary(op, try expr(a, in: scope), try expr(b, in: scope))
        case .compare(let first, let rest):
            out.kind = .compare(try expr(first, in: scope), try rest.map { Comparison(op: $0.op, right: try expr($0.right, in: scope)) })
        case .boolean(let op, let operands): out.kind = .boolean(op, try operands.map { try expr($0, in: scope) })
        case .conditional(let then, let test, let orElse):
            out.kind = .conditional(then: try expr(then, in: scope), test: try expr(test, in: scope), orElse: try expr(orElse, in: scope))
        case .lambda(let f):
            out.kind = .lambda(try function(f, in: scope))
        case .comprehension(let c):
            var r = c
            var clauses = c.clauses
            if !clauses.isEmpty { clauses[0].iterable = try expr(clauses[0].iterable, in: scope) }
            let inner = nextScope()
            for k in clauses.indices {
                if k > 0 { clauses[k].iterable = try expr(clauses[k].iterable, in: inner) }
                clauses[k].target = try expr(clauses[k].target, in: inner)
                clauses[k].conditions = try clauses[k].conditions.map { try expr($0, in: inner) }
            }
            r.clauses = clauses
            r.element = try expr(c.element, in: inner)
            r.value = try c.value.map { try expr($0, in: inner) }
            r.scope = layout(of: inner, parameters: [])
            out.kind = .comprehension(r)
        case .namedExpr(let t, let value):
            out.kind = .namedExpr(target: try expr(t, in: scope), value: try expr(value, in: scope))
        }
        return out
    }

    mutating func formatted(_ parts: [FormattedPart], in scope: Scope) throws -> [FormattedPart] {
        try parts.map { part in
            switch part {
            case .literal: return part
            case .value(let e, let conversion, let spec):
                return .value(try expr(e, in: scope), conversion: conversion, spec: try formatted(spec, in: scope))
            }
        }
    }
}
