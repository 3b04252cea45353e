/// The syntax tree of a model script: Python 3.11 without `async`, `match`
/// and the few constructs docs/SCRIPT-LANGUAGE.md lists as refused.
///
/// Shape: a node is a small struct holding a `kind` (an `indirect enum` with
/// labelled cases) and the `SourceLocation` of its **leftmost token**, so
/// `x.sum().backward()` is located at `x`, `a + b` at `a` and `(a + b) * c`
/// at the `(`. That is where CPython 3.11 starts its error carets, which
/// lets runtime errors point where Python's traceback would.
///
/// The parser leaves every name `.unresolved`; the `Resolver` then rewrites
/// the tree once, giving each name the slot it lives in (a local of its
/// function, a cell shared with closures, a module global), so the
/// evaluator never looks a name up in a dictionary.

// MARK: - Expressions

public struct Expr: Equatable, Sendable {
    public var kind: ExprKind
    public var location: SourceLocation

    public init(_ kind: ExprKind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }
}

public indirect enum ExprKind: Equatable, Sendable {
    case int(Int)
    /// An int literal that does not fit in 64 bits.
    case bigInt(PyInt)
    case float(Double)
    /// Adjacent plain literals are already concatenated: `'a' "b"` is `"ab"`.
    case string(String)
    /// An f-string (or plain literals concatenated with at least one
    /// f-string): its pieces in order.
    case formatted([FormattedPart])
    case bool(Bool)
    case none
    /// `...`
    case ellipsis
    /// A name, read or (as a target) written; `ref` is filled by the resolver.
    case name(String, NameRef)
    /// `value.name`
    case attribute(Expr, name: String)
    /// `function(args..., name=value..., *xs, **kw)`: `args` may hold
    /// `.starred` elements; a keyword without a name is `**mapping`.
    case call(Expr, args: [Expr], keywords: [Keyword])
    /// `value[index]`. Several indices make `index` a `.tuple`, whose
    /// elements may be `.slice`, `.ellipsis` or `.none` (`a[:, None, 1:]`).
    case `subscript`(Expr, index: Expr)
    /// `lower:upper:step`, any part optional. Only appears as a subscript
    /// index or an element of one.
    case slice(lower: Expr?, upper: Expr?, step: Expr?)
    /// `(a, b)`, `a, b`, `()`. A parenthesized single expression `(a)` is
    /// just `a`. Elements of tuple, list and set displays (and of targets)
    /// may be `.starred`.
    case tuple([Expr])
    case list([Expr])
    case set([Expr])
    case dict([DictItem])
    /// `*value` in a display, a call or an assignment target.
    case starred(Expr)
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    /// `a < b <= c` is one node: `.compare(a, [(<, b), (<=, c)])`, evaluated
    /// pairwise with `b` computed once, as in Python.
    case compare(Expr, [Comparison])
    /// `a and b and c` is one node with three operands (short-circuiting).
    case boolean(BoolOp, [Expr])
    case not(Expr)
    /// `then if test else orElse`
    case conditional(then: Expr, test: Expr, orElse: Expr)
    /// `lambda params: body`; the function's body is one `return` statement.
    case lambda(FunctionDef)
    /// `[x for ...]`, `{x for ...}`, `{k: v for ...}`, `(x for ...)`.
    case comprehension(Comprehension)
    /// `target := value` (`target` is a `.name`).
    case namedExpr(target: Expr, value: Expr)
    /// `yield value` (nil: a bare `yield`), only inside a function.
    case yield(Expr?)
    /// `yield from iterable`.
    case yieldFrom(Expr)
}

/// Where a name lives, decided once by the resolver.
public indirect enum NameRef: Equatable, Sendable {
    /// Straight from the parser; the resolver replaces every one.
    case unresolved
    /// Slot `i` of the running frame's locals.
    case local(Int)
    /// Slot `i` of the running frame's cells: the function's own variables
    /// that inner functions capture come first, then the ones it captures.
    case cell(Int)
    /// Slot `i` of the module's globals (the builtins when unbound there).
    case global(Int)
    /// A name a class body assigns: slot `i` of the class body's locals,
    /// and where to look while it is still unbound (Python's LOAD_NAME).
    case classLocal(Int, fallback: NameRef)
}

/// One piece of an f-string.
public enum FormattedPart: Equatable, Sendable {
    case literal(String)
    /// `{value!conversion:spec}`; `spec` may itself hold replacement
    /// fields (`{x:{width}}`). `{x=}` is a literal `"x="` followed by the
    /// value with conversion `r` (or none when a spec is given).
    case value(Expr, conversion: Character?, spec: [FormattedPart])
}

/// A keyword argument `name=value` (located at `name`), or `**value` when
/// `name` is nil (located at the `**`).
public struct Keyword: Equatable, Sendable {
    public var name: String?
    public var value: Expr
    public var location: SourceLocation

    public init(name: String?, value: Expr, location: SourceLocation) {
        self.name = name
        self.value = value
        self.location = location
    }
}

/// `key: value` in a dict display, or `**value` when `key` is nil.
public struct DictItem: Equatable, Sendable {
    public var key: Expr?
    public var value: Expr

    public init(key: Expr?, value: Expr) {
        self.key = key
        self.value = value
    }
}

/// One link of a comparison chain: the operator and its right operand.
public struct Comparison: Equatable, Sendable {
    public var op: CompareOp
    public var right: Expr

    public init(op: CompareOp, right: Expr) {
        self.op = op
        self.right = right
    }
}

/// A comprehension or generator expression. It runs in a scope of its own
/// (as in Python 3: its targets do not leak), except that the first
/// clause's iterable is evaluated in the enclosing scope.
public struct Comprehension: Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable { case list, set, dict, generator }
    public var kind: Kind
    /// The element (the key, for a dict comprehension).
    public var element: Expr
    /// The value of a dict comprehension.
    public var value: Expr?
    public var clauses: [ComprehensionClause]
    /// Filled by the resolver.
    public var scope: ScopeLayout

    public init(kind: Kind, element: Expr, value: Expr?, clauses: [ComprehensionClause], scope: ScopeLayout = ScopeLayout()) {
        self.kind = kind
        self.element = element
        self.value = value
        self.clauses = clauses
        self.scope = scope
    }
}

/// `for target in iterable if condition...`
public struct ComprehensionClause: Equatable, Sendable {
    public var target: Expr
    public var iterable: Expr
    public var conditions: [Expr]

    public init(target: Expr, iterable: Expr, conditions: [Expr]) {
        self.target = target
        self.iterable = iterable
        self.conditions = conditions
    }
}

// The raw values are the Python spellings, ready for messages such as
// "unsupported operand type(s) for +: 'int' and 'str'".

public enum UnaryOp: String, Equatable, Sendable {
    case plus = "+", minus = "-", invert = "~"
}

public enum BinaryOp: String, Equatable, Sendable {
    case add = "+", sub = "-", mul = "*", div = "/", floorDiv = "//", mod = "%"
    case pow = "**", matMul = "@"
    case bitOr = "|", bitXor = "^", bitAnd = "&", lShift = "<<", rShift = ">>"
}

public enum CompareOp: String, Equatable, Sendable {
    case lt = "<", gt = ">", le = "<=", ge = ">=", eq = "==", ne = "!="
    case `in` = "in", notIn = "not in", `is` = "is", isNot = "is not"
}

public enum BoolOp: String, Equatable, Sendable {
    case and, or
}

// MARK: - Functions and classes

/// A `def` or a `lambda`.
public struct FunctionDef: Equatable, Sendable {
    /// `<lambda>` for a lambda.
    public var name: String
    /// The name the definition binds (a `.name` target); nil for a lambda.
    public var target: Expr?
    public var parameters: Parameters
    public var body: [Stmt]
    /// Outermost first, as written (`@a @b def f` is `a(b(f))`).
    public var decorators: [Expr]
    /// `-> annotation`: parsed, never evaluated (as under
    /// `from __future__ import annotations`).
    public var returns: Expr?
    /// Whether the body holds `yield` (outside nested functions).
    public var isGenerator: Bool
    /// Filled by the resolver.
    public var scope: ScopeLayout
    public var location: SourceLocation

    public init(name: String, target: Expr?, parameters: Parameters, body: [Stmt], decorators: [Expr] = [],
                returns: Expr? = nil, isGenerator: Bool = false, scope: ScopeLayout = ScopeLayout(), at location: SourceLocation) {
        self.name = name
        self.target = target
        self.parameters = parameters
        self.body = body
        self.decorators = decorators
        self.returns = returns
        self.isGenerator = isGenerator
        self.scope = scope
        self.location = location
    }
}

/// `def f(a, b=1, /, c, *args, d, e=2, **kwargs)`.
public struct Parameters: Equatable, Sendable {
    /// Before a `/`.
    public var positionalOnly: [Parameter] = []
    public var regular: [Parameter] = []
    public var varArgs: Parameter?
    /// After `*` or `*args`.
    public var keywordOnly: [Parameter] = []
    public var varKeywords: Parameter?

    public init(positionalOnly: [Parameter] = [], regular: [Parameter] = [], varArgs: Parameter? = nil,
                keywordOnly: [Parameter] = [], varKeywords: Parameter? = nil) {
        self.positionalOnly = positionalOnly
        self.regular = regular
        self.varArgs = varArgs
        self.keywordOnly = keywordOnly
        self.varKeywords = varKeywords
    }

    /// Every parameter in the order of the function's slots: positional-only,
    /// regular, `*args`, keyword-only, `**kwargs`.
    public var all: [Parameter] {
        positionalOnly + regular + (varArgs.map { [$0] } ?? []) + keywordOnly + (varKeywords.map { [$0] } ?? [])
    }
}

public struct Parameter: Equatable, Sendable {
    public var name: String
    /// Evaluated once, when the `def` runs.
    public var defaultValue: Expr?
    /// Parsed, never evaluated.
    public var annotation: Expr?
    public var location: SourceLocation

    public init(name: String, defaultValue: Expr? = nil, annotation: Expr? = nil, location: SourceLocation) {
        self.name = name
        self.defaultValue = defaultValue
        self.annotation = annotation
        self.location = location
    }
}

/// `class Name(bases, keyword=value): body`.
public struct ClassDef: Equatable, Sendable {
    public var name: String
    /// The name the definition binds (a `.name` target).
    public var target: Expr
    public var bases: [Expr]
    /// `metaclass=` and other class keywords (refused at run time).
    public var keywords: [Keyword]
    public var body: [Stmt]
    public var decorators: [Expr]
    /// Filled by the resolver: the class body's slots.
    public var scope: ScopeLayout
    public var location: SourceLocation

    public init(name: String, target: Expr, bases: [Expr], keywords: [Keyword], body: [Stmt], decorators: [Expr] = [],
                scope: ScopeLayout = ScopeLayout(), at location: SourceLocation) {
        self.name = name
        self.target = target
        self.bases = bases
        self.keywords = keywords
        self.body = body
        self.decorators = decorators
        self.scope = scope
        self.location = location
    }
}

/// How a function, class body or comprehension lays out its variables; the
/// resolver's output.
public struct ScopeLayout: Equatable, Sendable {
    /// Names of the frame's local slots, by slot (unique within the scope).
    public var locals: [String] = []
    /// Names of the frame's cells: its own captured variables first, then
    /// the free variables it captures from enclosing scopes.
    public var cells: [String] = []
    /// How many of `cells` are the scope's own.
    public var ownCells: Int = 0
    /// For each free variable (`cells[ownCells...]`), the cell slot it
    /// comes from in the scope that creates this function.
    public var freeSources: [Int] = []
    /// Each parameter's slot, in `Parameters.all` order (`.local` or `.cell`);
    /// for a comprehension, empty.
    public var parameterSlots: [NameRef] = []

    public init() {}
}

// MARK: - Statements

public struct Stmt: Equatable, Sendable {
    public var kind: StmtKind
    /// The first token of the statement (the keyword of a compound one;
    /// the `elif` of an `elif` desugared into a nested `if`). A decorated
    /// definition is located at its `def` or `class`, not at its first `@`,
    /// as CPython 3.8+ locates it (`FunctionDef.lineno`).
    public var location: SourceLocation
    /// The statement's text from its first to its last token, e.g.
    /// `"loss.backward()"`: for a compound statement only the header,
    /// colon included (`"with torch.no_grad():"`, `"elif x > 0:"`,
    /// `"def f(x):"`). A statement spread over several lines keeps its line
    /// breaks (and any comment between its tokens) verbatim.
    public var source: String

    public init(_ kind: StmtKind, at location: SourceLocation, source: String) {
        self.kind = kind
        self.location = location
        self.source = source
    }
}

public indirect enum StmtKind: Equatable, Sendable {
    /// An expression evaluated for its effect, e.g. `print(x)`.
    case expr(Expr)
    /// `t1 = t2 = value`: `targets` in source order, each a name,
    /// attribute, subscript, or tuple/list of targets (`a, b = f()` has one
    /// `.tuple` target; `a, *rest = xs` a `.starred` element).
    case assign(targets: [Expr], value: Expr)
    /// `target op= value`; `target` is a name, attribute or subscript.
    case augAssign(target: Expr, op: BinaryOp, value: Expr)
    /// `target: annotation [= value]`; the annotation is never evaluated.
    case annotatedAssign(target: Expr, annotation: Expr, value: Expr?)
    case with(items: [WithItem], body: [Stmt])
    /// `for target in iterable: body else: orElse`
    case forLoop(target: Expr, iterable: Expr, body: [Stmt], orElse: [Stmt])
    /// `while test: body else: orElse`
    case whileLoop(test: Expr, body: [Stmt], orElse: [Stmt])
    /// `elif` becomes a single nested `.ifStmt` in `orElse`.
    case ifStmt(test: Expr, body: [Stmt], orElse: [Stmt])
    case tryStmt(body: [Stmt], handlers: [ExceptHandler], orElse: [Stmt], finally: [Stmt])
    /// `raise`, `raise exc`, `raise exc from cause`.
    case raise(exception: Expr?, cause: Expr?)
    case assert(test: Expr, message: Expr?)
    case functionDef(FunctionDef)
    case classDef(ClassDef)
    /// `return [value]` (a tuple for `return a, b`).
    case returnStmt(Expr?)
    /// `del a, b[0], c.d`
    case delete([Expr])
    /// Scope declarations: used by the resolver, nothing to run.
    case global([String])
    case nonlocal([String])
    case pass
    case `break`
    case `continue`
    /// `import a.b as c`. `import a, b` yields one statement per module,
    /// all with the same location and source. `target` is the name bound:
    /// `c`, or `a` for `import a.b`.
    case importModule(module: String, alias: String?, target: Expr)
    /// `from a.b import c as d, e`
    case importFrom(module: String, names: [ImportName])
}

/// `context as name` in a `with` header; `name` is an assignment target.
public struct WithItem: Equatable, Sendable {
    public var context: Expr
    public var name: Expr?

    public init(context: Expr, name: Expr?) {
        self.context = context
        self.name = name
    }
}

/// `except Type as name: body` (`type` nil for a bare `except:`); `name`
/// is a `.name` target.
public struct ExceptHandler: Equatable, Sendable {
    public var type: Expr?
    public var name: Expr?
    public var body: [Stmt]
    public var location: SourceLocation
    /// `except Type as name:`, for tracebacks.
    public var source: String

    public init(type: Expr?, name: Expr?, body: [Stmt], at location: SourceLocation, source: String) {
        self.type = type
        self.name = name
        self.body = body
        self.location = location
        self.source = source
    }
}

public struct ImportName: Equatable, Sendable {
    public var name: String
    public var alias: String?
    /// The name bound (`alias ?? name`), a `.name` target.
    public var target: Expr

    public init(name: String, alias: String?, target: Expr) {
        self.name = name
        self.alias = alias
        self.target = target
    }
}
