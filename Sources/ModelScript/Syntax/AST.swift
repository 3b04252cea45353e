/// The syntax tree of a model script.
///
/// Shape: a node is a small struct holding a `kind` (an `indirect enum` with
/// labelled cases) and the `SourceLocation` of its **leftmost token**, so
/// `x.sum().backward()` is located at `x`, `a + b` at `a` and `(a + b) * c`
/// at the `(`. That is where CPython 3.11 starts its error carets, which
/// lets runtime errors point where Python's traceback would.
///
/// The tree only has what the subset supports. Valid Python outside it
/// (comprehensions, `*args`, `while`, ...) is rejected by the parser with
/// `ScriptError.unsupported`, so the interpreter never sees it.

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
    case float(Double)
    /// Adjacent literals are already concatenated: `'a' "b"` is `"ab"`.
    case string(String)
    case bool(Bool)
    case none
    /// `...`, only useful as a subscript (`a[..., 0]`).
    case ellipsis
    case name(String)
    /// `value.name`
    case attribute(Expr, name: String)
    /// `function(args..., name=value...)`. Positional arguments always come
    /// first (the parser rejects the other order, like Python).
    case call(Expr, args: [Expr], keywords: [Keyword])
    /// `value[index]`. Several indices make `index` a `.tuple`, whose
    /// elements may be `.slice`, `.ellipsis` or `.none` (`a[:, None, 1:]`).
    case `subscript`(Expr, index: Expr)
    /// `lower:upper:step`, any part optional. Only appears as a subscript
    /// index or an element of one.
    case slice(lower: Expr?, upper: Expr?, step: Expr?)
    /// `(a, b)`, `a, b`, `()`. A parenthesized single expression `(a)` is
    /// just `a`.
    case tuple([Expr])
    case list([Expr])
    case dict([DictItem])
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
    /// `lambda a, b: body` (plain positional parameters only).
    case lambda(params: [String], body: Expr)
}

/// A keyword argument `name=value`, located at `name`.
public struct Keyword: Equatable, Sendable {
    public var name: String
    public var value: Expr
    public var location: SourceLocation

    public init(name: String, value: Expr, location: SourceLocation) {
        self.name = name
        self.value = value
        self.location = location
    }
}

public struct DictItem: Equatable, Sendable {
    public var key: Expr
    public var value: Expr

    public init(key: Expr, value: Expr) {
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

// MARK: - Statements

public struct Stmt: Equatable, Sendable {
    public var kind: StmtKind
    /// The first token of the statement (the keyword of a compound one;
    /// the `elif` of an `elif` desugared into a nested `if`).
    public var location: SourceLocation
    /// The statement's text from its first to its last token, e.g.
    /// `"loss.backward()"`: for a compound statement only the header,
    /// colon included (`"with torch.no_grad():"`, `"elif x > 0:"`). A
    /// statement spread over several lines keeps its line breaks (and any
    /// comment between its tokens) verbatim.
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
    /// `.tuple` target).
    case assign(targets: [Expr], value: Expr)
    /// `target op= value`; `target` is a name, attribute or subscript.
    case augAssign(target: Expr, op: BinaryOp, value: Expr)
    case with(items: [WithItem], body: [Stmt])
    case forLoop(target: Expr, iterable: Expr, body: [Stmt])
    /// `elif` becomes a single nested `.ifStmt` in `orElse`.
    case ifStmt(test: Expr, body: [Stmt], orElse: [Stmt])
    case assert(test: Expr, message: Expr?)
    case pass
    case `break`
    case `continue`
    /// `import a.b as c`. `import a, b` yields one statement per module,
    /// all with the same location and source.
    case importModule(module: String, alias: String?)
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

public struct ImportName: Equatable, Sendable {
    public var name: String
    public var alias: String?

    public init(name: String, alias: String?) {
        self.name = name
        self.alias = alias
    }
}
