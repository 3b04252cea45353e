import Testing
@testable import ModelScript

// Every expected error message and position below was checked against
// CPython 3.11 (`compile(source, "s", "exec")`), since scripts must fail
// the same way under autograd-viz as under `python3`.

// MARK: - Helpers

func parse(_ source: String) throws -> [Stmt] {
    try Parser.parse(source)
}

/// Parses `source` as one expression and renders it as an S-expression,
/// which makes precedence and shape easy to compare.
func sexp(_ source: String) throws -> String {
    sexp(try Parser.parseExpression(source))
}

func sexp(_ e: Expr) -> String {
    func opt(_ e: Expr?) -> String { e.map(sexp) ?? "_" }
    switch e.kind {
    case .int(let v): return "\(v)"
    case .bigInt(let v): return "\(v)"
    case .float(let v): return "\(v)"
    case .string(let s): return "'\(s)'"
    case .formatted(let parts): return "(f" + parts.map { " " + sexp($0) }.joined() + ")"
    case .bool(let b): return b ? "True" : "False"
    case .none: return "None"
    case .ellipsis: return "..."
    case .name(let n, _): return n
    case .attribute(let base, let name): return "(. \(sexp(base)) \(name))"
    case .call(let f, let args, let keywords):
        let parts = [sexp(f)] + args.map(sexp) + keywords.map { ($0.name.map { "\($0)=" } ?? "**") + sexp($0.value) }
        return "(call " + parts.joined(separator: " ") + ")"
    case .subscript(let base, let index): return "(sub \(sexp(base)) \(sexp(index)))"
    case .slice(let lower, let upper, let step): return "(slice \(opt(lower)) \(opt(upper)) \(opt(step)))"
    case .tuple(let items): return "(tuple" + items.map { " " + sexp($0) }.joined() + ")"
    case .list(let items): return "[" + items.map(sexp).joined(separator: " ") + "]"
    case .set(let items): return "#{" + items.map(sexp).joined(separator: " ") + "}"
    case .dict(let items): return "{" + items.map { ($0.key.map { "\(sexp($0)): " } ?? "**") + sexp($0.value) }.joined(separator: ", ") + "}"
    case .starred(let value): return "(* \(sexp(value)))"
    case .unary(let op, let x): return "(\(op.rawValue) \(sexp(x)))"
    case .binary(let op, let a, let b): return "(\(op.rawValue) \(sexp(a)) \(sexp(b)))"
    case .compare(let first, let rest):
        return "(compare \(sexp(first))" + rest.map { " \($0.op.rawValue) \(sexp($0.right))" }.joined() + ")"
    case .boolean(let op, let operands): return "(\(op.rawValue) " + operands.map(sexp).joined(separator: " ") + ")"
    case .not(let x): return "(not \(sexp(x)))"
    case .conditional(let then, let test, let orElse): return "(if \(sexp(test)) \(sexp(then)) \(sexp(orElse)))"
    case .lambda(let f):
        guard case .returnStmt(let body?)? = f.body.first?.kind else { return "(lambda ?)" }
        return "(lambda (\(sexp(f.parameters))) \(sexp(body)))"
    case .comprehension(let c):
        let clauses = c.clauses.map { clause in
            "(for \(sexp(clause.target)) \(sexp(clause.iterable))" + clause.conditions.map { " (if \(sexp($0)))" }.joined() + ")"
        }
        let head = c.value.map { "\(sexp(c.element)) \(sexp($0))" } ?? sexp(c.element)
        return "(\(c.kind.rawValue)comp \(head) " + clauses.joined(separator: " ") + ")"
    case .namedExpr(let target, let value): return "(:= \(sexp(target)) \(sexp(value)))"
    case .yield(let value): return value.map { "(yield \(sexp($0)))" } ?? "(yield)"
    case .yieldFrom(let value): return "(yield-from \(sexp(value)))"
    }
}

/// `{x!r:spec}` for a field, `'text'` for literal text.
func sexp(_ part: FormattedPart) -> String {
    switch part {
    case .literal(let text): return "'\(text)'"
    case .value(let value, let conversion, let spec):
        return "{" + sexp(value) + (conversion.map { "!\($0)" } ?? "")
            + (spec.isEmpty ? "" : ":" + spec.map(sexp).joined(separator: " ")) + "}"
    }
}

/// `a b=1 / c:int *args d e=2 **kw`
func sexp(_ p: Parameters) -> String {
    func one(_ parameter: Parameter, _ prefix: String = "") -> String {
        prefix + parameter.name + (parameter.annotation.map { ":" + sexp($0) } ?? "")
            + (parameter.defaultValue.map { "=" + sexp($0) } ?? "")
    }
    var parts = p.positionalOnly.map { one($0) }
    if !p.positionalOnly.isEmpty { parts.append("/") }
    parts += p.regular.map { one($0) }
    if let varArgs = p.varArgs { parts.append(one(varArgs, "*")) } else if !p.keywordOnly.isEmpty { parts.append("*") }
    parts += p.keywordOnly.map { one($0) }
    if let varKeywords = p.varKeywords { parts.append(one(varKeywords, "**")) }
    return parts.joined(separator: " ")
}

/// A statement as an S-expression, blocks in parentheses.
func sexp(_ stmt: Stmt) -> String {
    func block(_ body: [Stmt]) -> String { "(" + body.map(sexp).joined(separator: " ") + ")" }
    func decorators(_ list: [Expr]) -> String { list.map { " @" + sexp($0) }.joined() }
    switch stmt.kind {
    case .expr(let e): return sexp(e)
    case .assign(let targets, let value): return "(= " + (targets + [value]).map(sexp).joined(separator: " ") + ")"
    case .augAssign(let target, let op, let value): return "(\(op.rawValue)= \(sexp(target)) \(sexp(value)))"
    case .annotatedAssign(let target, let annotation, let value):
        return "(: \(sexp(target)) \(sexp(annotation))" + (value.map { " " + sexp($0) } ?? "") + ")"
    case .with(let items, let body):
        let heads = items.map { "(" + sexp($0.context) + ($0.name.map { " as " + sexp($0) } ?? "") + ")" }
        return "(with " + heads.joined(separator: " ") + " " + block(body) + ")"
    case .forLoop(let target, let iterable, let body, let orElse):
        return "(for \(sexp(target)) \(sexp(iterable)) \(block(body))" + (orElse.isEmpty ? "" : " (else \(block(orElse)))") + ")"
    case .whileLoop(let test, let body, let orElse):
        return "(while \(sexp(test)) \(block(body))" + (orElse.isEmpty ? "" : " (else \(block(orElse)))") + ")"
    case .ifStmt(let test, let body, let orElse):
        return "(if \(sexp(test)) \(block(body))" + (orElse.isEmpty ? "" : " \(block(orElse))") + ")"
    case .tryStmt(let body, let handlers, let orElse, let final):
        let excepts = handlers.map { handler in
            "(except" + (handler.type.map { " " + sexp($0) } ?? "") + (handler.name.map { " as " + sexp($0) } ?? "")
                + " " + block(handler.body) + ")"
        }
        return "(try \(block(body))" + excepts.map { " " + $0 }.joined()
            + (orElse.isEmpty ? "" : " (else \(block(orElse)))") + (final.isEmpty ? "" : " (finally \(block(final)))") + ")"
    case .raise(let exception, let cause):
        return "(raise" + (exception.map { " " + sexp($0) } ?? "") + (cause.map { " from " + sexp($0) } ?? "") + ")"
    case .assert(let test, let message): return "(assert \(sexp(test))" + (message.map { " " + sexp($0) } ?? "") + ")"
    case .functionDef(let f):
        return "(def \(f.name) (\(sexp(f.parameters)))" + (f.returns.map { " -> " + sexp($0) } ?? "")
            + decorators(f.decorators) + (f.isGenerator ? " generator" : "") + " " + block(f.body) + ")"
    case .classDef(let c):
        let bases = c.bases.map(sexp) + c.keywords.map { ($0.name.map { "\($0)=" } ?? "**") + sexp($0.value) }
        return "(class \(c.name) (\(bases.joined(separator: " ")))" + decorators(c.decorators) + " " + block(c.body) + ")"
    case .returnStmt(let value): return "(return" + (value.map { " " + sexp($0) } ?? "") + ")"
    case .delete(let targets): return "(del " + targets.map(sexp).joined(separator: " ") + ")"
    case .global(let names): return "(global " + names.joined(separator: " ") + ")"
    case .nonlocal(let names): return "(nonlocal " + names.joined(separator: " ") + ")"
    case .pass: return "pass"
    case .break: return "break"
    case .continue: return "continue"
    case .importModule(let module, let alias, _): return "(import \(module)" + (alias.map { " as " + $0 } ?? "") + ")"
    case .importFrom(let module, let names):
        return "(from \(module) " + names.map { $0.name + ($0.alias.map { " as " + $0 } ?? "") }.joined(separator: ", ") + ")"
    }
}

/// A script's statements as S-expressions, one per statement.
func sexps(_ source: String) throws -> [String] {
    try parse(source).map(sexp)
}

// `Testing` has a `SourceLocation` too.
func loc(_ line: Int, _ column: Int) -> ModelScript.SourceLocation {
    ModelScript.SourceLocation(line: line, column: column)
}

/// The single expression of a one-statement script such as `y = f(x)`.
func value(of source: String) throws -> Expr? {
    guard case .assign(_, let value)? = try parse(source).first?.kind else { return nil }
    return value
}

/// Lexer, AST and parser of the model-script language.
struct ParserTests {
    // MARK: - Lexer

    @Test func tokenStreamWithIndentAndDedent() {
        let tokens = Lexer.tokenize("if x:\n    y = 1  # one\nz\n")
        #expect(tokens.map(\.kind) == [
            .keyword("if"), .name("x"), .op(":"), .newline,
            .indent, .name("y"), .op("="), .int(1), .newline,
            .dedent, .name("z"), .newline,
            .endOfFile,
        ])
        #expect(tokens[1].location == loc(1, 4))
        #expect(tokens[5].location == loc(2, 5))
        // CPython's positions: INDENT/DEDENT on the last indentation character,
        // a NEWLINE after a comment where the comment starts.
        #expect(tokens[4].location == loc(2, 4))
        #expect(tokens[8].location == loc(2, 12))
        #expect(tokens[9].location == loc(3, 0))
    }

    @Test func implicitJoiningContinuationsAndBlankLines() {
        let source = "x = (1 +\n     2)\n\n   # comment only\ny = 3 + \\\n    4\n"
        let kinds = Lexer.tokenize(source).map(\.kind)
        #expect(kinds == [
            .name("x"), .op("="), .op("("), .int(1), .op("+"), .int(2), .op(")"), .newline,
            .name("y"), .op("="), .int(3), .op("+"), .int(4), .newline,
            .endOfFile,
        ])
    }

    @Test func tabsIndentToMultiplesOfEight() throws {
        // A tab and eight spaces are the same level only if tabs are not
        // mixed ambiguously: `\t` then `\t` is fine.
        let body = try parse("if x:\n\ty = 1\n\tz = 2\n")
        guard case .ifStmt(_, let inner, _)? = body.first?.kind else { Issue.record("not an if"); return }
        #expect(inner.count == 2)
        #expect(throws: ScriptError.syntax("inconsistent use of tabs and spaces in indentation", loc(3, 1))) {
            try parse("if x:\n\tpass\n        pass\n")
        }
    }

    @Test func numbers() {
        let kinds = Lexer.tokenize("10 1_000 0x1F 0o17 0b101 1.0 .5 1e-3 2. 1_0.5e1_0").map(\.kind)
        #expect(kinds == [
            .int(10), .int(1000), .int(31), .int(15), .int(5),
            .float(1.0), .float(0.5), .float(0.001), .float(2.0), .float(10.5e10),
            .newline, .endOfFile,
        ])
    }

    @Test func strings() {
        let source = #"'a\nb' "it's" 'say \"hi\"' '\\' """two"#
            + "\nlines\"\"\" r'raw\\d' '\\x41\\u00e9\\t'"
        let strings = Lexer.tokenize(source).compactMap { token -> String? in
            if case .string(let s) = token.kind { return s }
            return nil
        }
        #expect(strings == ["a\nb", "it's", "say \"hi\"", "\\", "two\nlines", "raw\\d", "Aé\t"])
    }

    @Test func adjacentStringsConcatenate() throws {
        #expect(try sexp("'a' \"b\"") == "'ab'")
    }

    // MARK: - Precedence

    @Test(arguments: [
        ("-x**2", "(- (** x 2))"),
        ("2**-1", "(** 2 (- 1))"),
        ("2**3**2", "(** 2 (** 3 2))"),
        ("a + b * c", "(+ a (* b c))"),
        ("a * b + c", "(+ (* a b) c)"),
        ("a - b - c", "(- (- a b) c)"),
        ("1 - a", "(- 1 a)"),
        ("a @ b.t() + c", "(+ (@ a (call (. b t))) c)"),
        ("a // b % c", "(% (// a b) c)"),
        ("not a == b", "(not (compare a == b))"),
        ("a < b < c", "(compare a < b < c)"),
        ("a is not b", "(compare a is not b)"),
        ("a not in b", "(compare a not in b)"),
        ("a or b and not c", "(or a (and b (not c)))"),
        ("a and b and c", "(and a b c)"),
        ("a | b ^ c & d", "(| a (^ b (& c d)))"),
        ("a << 1 + 2", "(<< a (+ 1 2))"),
        ("~a", "(~ a)"),
        ("-a.b[0]", "(- (sub (. a b) 0))"),
        ("x if c else y", "(if c x y)"),
        ("a if b else c if d else e", "(if b a (if d c e))"),
        ("lambda g: g * 2", "(lambda (g) (* g 2))"),
        ("lambda: 0", "(lambda () 0)"),
        ("lambda a, b: a if b else -a", "(lambda (a b) (if b a (- a)))"),
        ("(a + b) * c", "(* (+ a b) c)"),
        ("x.sum().backward()", "(call (. (call (. x sum)) backward))"),
        ("None, True, False, ...", "(tuple None True False ...)"),
        ("(), (1,), [1, 2,], {}", "(tuple (tuple) (tuple 1) [1 2] {})"),
        ("{'a': 1, 'b': [x]}", "{'a': 1, 'b': [x]}"),
    ])
    func precedence(source: String, expected: String) throws {
        #expect(try sexp(source) == expected)
    }

    // MARK: - Calls and subscripts

    @Test func callsWithKeywordArguments() throws {
        #expect(try sexp("f(x, dim=1)") == "(call f x dim=1)")
        #expect(try sexp("torch.randn(3, 4, requires_grad=True,)") == "(call (. torch randn) 3 4 requires_grad=True)")
        #expect(try sexp("print()") == "(call print)")
        let call = try Parser.parseExpression("f(a, key = b)")
        guard case .call(_, _, let keywords) = call.kind else { Issue.record("not a call"); return }
        #expect(keywords.first?.location == loc(1, 6))
    }

    @Test(arguments: [
        ("a[0]", "(sub a 0)"),
        ("a[0, 1]", "(sub a (tuple 0 1))"),
        ("a[0,]", "(sub a (tuple 0))"),
        ("a[:, 1:]", "(sub a (tuple (slice _ _ _) (slice 1 _ _)))"),
        ("a[::2]", "(sub a (slice _ _ 2))"),
        ("a[1:-1:2]", "(sub a (slice 1 (- 1) 2))"),
        ("a[None]", "(sub a None)"),
        ("a[..., 0]", "(sub a (tuple ... 0))"),
        ("a[:, None, :2]", "(sub a (tuple (slice _ _ _) None (slice _ 2 _)))"),
        ("a[[0, 2]]", "(sub a [0 2])"),
        ("a[i][j]", "(sub (sub a i) j)"),
    ])
    func subscripts(source: String, expected: String) throws {
        #expect(try sexp(source) == expected)
    }

    // MARK: - Statements

    @Test func assignmentTargets() throws {
        let stmts = try parse("a, b = f()\n(g,) = torch.autograd.grad(y, x)\nx = y = 1\nw.grad[0] = 2\n[p, q] = r\n")
        #expect(stmts.count == 5)
        guard case .assign(let t0, _) = stmts[0].kind,
              case .assign(let t1, _) = stmts[1].kind,
              case .assign(let t2, let v2) = stmts[2].kind,
              case .assign(let t3, _) = stmts[3].kind,
              case .assign(let t4, _) = stmts[4].kind else {
            Issue.record("expected five assignments")
            return
        }
        #expect(t0.map(sexp) == ["(tuple a b)"])
        #expect(t1.map(sexp) == ["(tuple g)"])
        #expect(t2.map(sexp) == ["x", "y"])
        #expect(sexp(v2) == "1")
        #expect(t3.map(sexp) == ["(sub (. w grad) 0)"])
        #expect(t4.map(sexp) == ["[p q]"])
    }

    @Test func augmentedAssignment() throws {
        let stmts = try parse("w -= 0.1 * w.grad\nx @= y\nn //= 2\np **= 2\n")
        let ops = stmts.compactMap { stmt -> BinaryOp? in
            if case .augAssign(_, let op, _) = stmt.kind { return op }
            return nil
        }
        #expect(ops == [.sub, .matMul, .floorDiv, .pow])
    }

    @Test func withBlock() throws {
        let stmts = try parse("with torch.no_grad():\n    w -= lr * w.grad\n    w.grad.zero_()\nprint(w)\n")
        #expect(stmts.count == 2)
        guard case .with(let items, let body) = stmts[0].kind else { Issue.record("not a with"); return }
        #expect(items.map { sexp($0.context) } == ["(call (. torch no_grad))"])
        #expect(items.first?.name == nil)
        #expect(body.map(\.source) == ["w -= lr * w.grad", "w.grad.zero_()"])
        #expect(stmts[0].source == "with torch.no_grad():")

        let named = try parse("with a as b, c:\n    pass\n")
        guard case .with(let namedItems, _) = named[0].kind else { Issue.record("not a with"); return }
        #expect(namedItems.map { $0.name.map(sexp) ?? "-" } == ["b", "-"])
    }

    @Test func forIfElifElse() throws {
        let source = """
            for i, (a, b) in enumerate(pairs):
                if i == 0:
                    continue
                elif a > b:
                    break
                else:
                    pass
            """
        let stmts = try parse(source)
        guard case .forLoop(let target, let iterable, let body, _)? = stmts.first?.kind else {
            Issue.record("not a for loop")
            return
        }
        #expect(sexp(target) == "(tuple i (tuple a b))")
        #expect(sexp(iterable) == "(call enumerate pairs)")
        guard case .ifStmt(let test, let then, let orElse)? = body.first?.kind else { Issue.record("not an if"); return }
        #expect(sexp(test) == "(compare i == 0)")
        #expect(then.map(\.kind) == [StmtKind.continue])
        // elif desugars into a nested if in orElse
        #expect(orElse.count == 1)
        guard case .ifStmt(let test2, let then2, let orElse2)? = orElse.first?.kind else { Issue.record("no elif"); return }
        #expect(sexp(test2) == "(compare a > b)")
        #expect(then2.map(\.kind) == [StmtKind.break])
        #expect(orElse2.map(\.kind) == [StmtKind.pass])
        #expect(orElse.first?.source == "elif a > b:")
        #expect(orElse.first?.location == loc(4, 5))
    }

    @Test func compoundStatementOnOneLine() throws {
        let stmts = try parse("if x: y = 1; z = 2\n")
        guard case .ifStmt(_, let body, _)? = stmts.first?.kind else { Issue.record("not an if"); return }
        #expect(body.map(\.source) == ["y = 1", "z = 2"])
    }

    @Test func assertWithMessage() throws {
        let stmts = try parse("assert torch.allclose(a, b), \"grad mismatch\"\nassert x\n")
        guard case .assert(let test, let message) = stmts[0].kind,
              case .assert(_, let noMessage) = stmts[1].kind else {
            Issue.record("expected two asserts")
            return
        }
        #expect(sexp(test) == "(call (. torch allclose) a b)")
        #expect(message.map(sexp) == "'grad mismatch'")
        #expect(noMessage == nil)
    }

    @Test func imports() throws {
        let stmts = try parse("""
            import torch
            import torch.nn as nn, math
            from torch import nn
            from torch.nn import functional as F, init
            """)
        func imported(_ kind: StmtKind) -> String {
            switch kind {
            case .importModule(let module, let alias, let target):
                guard case .name(let bound, _) = target.kind else { return "?" }
                return "import \(module) as \(alias ?? "-") -> \(bound)"
            case .importFrom(let module, let names):
                return "from \(module) " + names.map { item -> String in
                    guard case .name(let bound, _) = item.target.kind else { return "?" }
                    return "\(item.name) as \(item.alias ?? "-") -> \(bound)"
                }.joined(separator: ", ")
            default: return "?"
            }
        }
        #expect(stmts.map { imported($0.kind) } == [
            "import torch as - -> torch",
            "import torch.nn as nn -> nn",
            "import math as - -> math",
            "from torch nn as - -> nn",
            "from torch.nn functional as F -> F, init as - -> init",
        ])
        #expect(stmts[2].source == "import torch.nn as nn, math")
    }

    @Test func statementSourceText() throws {
        let stmts = try parse("""
            loss.backward()   # compute grads
            a = 1; b = 2
            y = f(x,
                  dim=1)
            if x > 0:
                pass
            """)
        #expect(stmts.map(\.source) == [
            "loss.backward()",
            "a = 1",
            "b = 2",
            "y = f(x,\n      dim=1)",
            "if x > 0:",
        ])
    }

    @Test func emptyAndCommentOnlyScripts() throws {
        #expect(try parse("").isEmpty)
        #expect(try parse("# just a comment\n\n   # another\n").isEmpty)
        #expect(try parse("\n\n").isEmpty)
        #expect(try parse("x = 1").count == 1)  // no final newline
    }

    // MARK: - Locations

    @Test func locationsAreTheLeftmostToken() throws {
        let stmts = try parse("y = x.sum().backward()\nz = (a + b) * c\n  # c\nw = [1, q + r]\n")
        #expect(stmts.map(\.location) == [loc(1, 1), loc(2, 1), loc(4, 1)])
        guard case .assign(let targets, let call) = stmts[0].kind else { Issue.record("not an assignment"); return }
        #expect(targets.first?.location == loc(1, 1))
        #expect(call.location == loc(1, 5))  // the `x`, as CPython's carets start there
        guard case .call(let method, _, _) = call.kind, case .attribute(let inner, _) = method.kind else {
            Issue.record("not a method call")
            return
        }
        #expect(inner.location == loc(1, 5))

        guard case .assign(_, let product) = stmts[1].kind,
              case .binary(_, let sum, let c) = product.kind else { Issue.record("not a product"); return }
        #expect(product.location == loc(2, 5))  // the `(`
        #expect(sum.location == loc(2, 6))      // the `a` inside
        #expect(c.location == loc(2, 15))

        guard case .assign(_, let list) = stmts[2].kind, case .list(let items) = list.kind else {
            Issue.record("not a list")
            return
        }
        #expect(items.map(\.location) == [loc(4, 6), loc(4, 9)])
    }

    @Test func columnsCountCharacters() throws {
        let expr = try value(of: "x = 'é€' + y")
        guard case .binary(_, _, let y)? = expr?.kind else { Issue.record("not a sum"); return }
        #expect(y.location == loc(1, 12))
    }

    // MARK: - Syntax errors

    @Test(arguments: [
        // unbalanced brackets and strings
        ("x = (1, 2\n", "'(' was never closed", 1, 5),
        ("foo(1\nx = 2\n", "'(' was never closed", 1, 4),
        ("x = [1,\n     2\ny = 3\n", "'[' was never closed", 1, 5),
        (")))\n", "unmatched ')'", 1, 1),
        ("x = (1, 2]\n", "closing parenthesis ']' does not match opening parenthesis '('", 1, 10),
        ("x = 'abc\n", "unterminated string literal (detected at line 1)", 1, 5),
        ("x = 1\ny = \"abc\n", "unterminated string literal (detected at line 2)", 2, 5),
        ("x = '''abc\n\n", "unterminated triple-quoted string literal (detected at line 2)", 1, 5),
        // indentation
        ("  x = 1\n", "unexpected indent", 1, 2),
        ("\t\t x\n", "unexpected indent", 1, 3),
        ("x = 1\n    y = 2\n", "unexpected indent", 2, 4),
        ("if x:\n    y = 1\n  z = 2\n", "unindent does not match any outer indentation level", 3, 8),
        ("if x:\ny = 1\n", "expected an indented block after 'if' statement on line 1", 2, 1),
        ("x = 1\n\n\n  \nif y:\n", "expected an indented block after 'if' statement on line 5", 5, 6),
        // colons
        ("if x\n    y = 1\n", "expected ':'", 1, 5),
        ("for x in y\n  pass\n", "expected ':'", 1, 11),
        ("with a as b\n  pass\n", "expected ':'", 1, 12),
        ("if x:\n  pass\nelif y\n  pass\n", "expected ':'", 3, 7),
        ("if x:\n  pass\nelse 1:\n  pass\n", "expected ':'", 3, 6),
        // generic and hinted
        ("x = 1 +\n", "invalid syntax", 1, 8),
        ("a = 1 2\n", "invalid syntax", 1, 7),
        ("x = a not b\n", "invalid syntax", 1, 11),
        ("else:\n  pass\n", "invalid syntax", 1, 1),
        ("x = a[1:2:3:4]\n", "invalid syntax", 1, 12),
        ("x = $\n", "invalid syntax", 1, 5),
        ("f(a b)\n", "invalid syntax. Perhaps you forgot a comma?", 1, 3),
        ("x = [1, 2 3]\n", "invalid syntax. Perhaps you forgot a comma?", 1, 9),
        ("x = a if b\n", "expected 'else' after 'if' expression", 1, 5),
        ("print 'hi'\n", "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 1),
        ("if x = 0:\n  pass\n", "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", 1, 4),
        ("1 = x\n", "cannot assign to literal here. Maybe you meant '==' instead of '='?", 1, 1),
        ("x = f() = 1\n", "cannot assign to function call", 1, 5),
        ("for x, f() in y:\n  pass\n", "cannot assign to function call", 1, 8),
        ("f() += 1\n", "'function call' is an illegal expression for augmented assignment", 1, 1),
        ("(a, b) += 1\n", "'tuple' is an illegal expression for augmented assignment", 1, 1),
        ("f(x=1, 2)\n", "positional argument follows keyword argument", 1, 9),
        ("f(1=2)\n", "expression cannot contain assignment, perhaps you meant \"==\"?", 1, 3),
        ("x = {\"a\": 1, \"b\"}\n", "':' expected after dictionary key", 1, 16),
        ("from torch import nn,\n", "trailing comma not allowed without surrounding parentheses", 1, 22),
        // tokens
        ("x = 0x\n", "invalid hexadecimal literal", 1, 6),
        ("x = 1__0\n", "invalid decimal literal", 1, 6),
        ("x = 0b102\n", "invalid digit '2' in binary literal", 1, 9),
        ("x = 012\n", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 1, 5),
        ("x = a €\n", "invalid character '€' (U+20AC)", 1, 7),
        ("x = 1 \\ 2\n", "unexpected character after line continuation character", 1, 8),
        // errors CPython finds after parsing
        ("break\n", "'break' outside loop", 1, 1),
        ("continue\n", "'continue' not properly in loop", 1, 1),
        ("return 3\n", "'return' outside function", 1, 1),
        ("x = (yield)\n", "'yield' outside function", 1, 6),
        ("f(x=1, x=2)\n", "keyword argument repeated: x", 1, 8),
        // a tokenizer error further on replaces a parse error, as in CPython
        ("x = 1 2\n\ny = 'abc\n", "unterminated string literal (detected at line 3)", 3, 5),
        // CPython's compiler applies int()'s digit limit to decimal literals
        // (it reports column 0; ours points at the literal).
        ("x = " + String(repeating: "9", count: 5000) + "\n",
         "Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.", 1, 5),
    ])
    func syntaxErrors(source: String, message: String, line: Int, column: Int) {
        #expect(throws: ScriptError.syntax(message, loc(line, column))) {
            try Parser.parse(source)
        }
    }

    // MARK: - Unsupported constructs

    @Test(arguments: [
        ("match x:\n  case 1:\n    pass\n", "'match' statements are not supported in model scripts", 1, 1),
        ("x = b'a'\n", "bytes literals are not supported in model scripts", 1, 5),
        ("x = 1j\n", "complex numbers are not supported in model scripts", 1, 5),
        ("x = 0x1" + String(repeating: "0", count: 270_000) + "\n",
         "MemoryError: integer result would have more than 1048576 bits (the interpreter's limit)", 1, 5),
        ("from . import x\n", "relative imports are not supported in model scripts", 1, 6),
        ("from torch import *\n", "'from ... import *' is not supported in model scripts", 1, 19),
        ("async def f():\n  await g()\n", "'async def' is not supported in model scripts", 1, 1),
        ("x = (await y for y in z)\n", "'await' is not supported in model scripts", 1, 6),
        ("x = (y async for y in z)\n", "asynchronous comprehensions are not supported in model scripts", 1, 5),
        ("try:\n  pass\nexcept* E:\n  pass\n", "'except*' is not supported in model scripts", 3, 1),
    ])
    func unsupportedConstructs(source: String, message: String, line: Int, column: Int) {
        #expect(throws: ScriptError.unsupported(message, loc(line, column))) {
            try Parser.parse(source)
        }
    }

    @Test func syntaxErrorsWinOverUnsupportedConstructs() {
        // Python would refuse to run the file at all, so its error is the one
        // to show, even when it comes later than the unsupported construct.
        #expect(throws: ScriptError.syntax("invalid syntax", loc(3, 7))) {
            try Parser.parse("x = b'a'\nx = 1\ny = 1 2\n")
        }
        #expect(throws: ScriptError.syntax("expected ':'", loc(2, 8))) {
            try Parser.parse("x = 1j\nwhile x\n  pass\n")
        }
        #expect(throws: ScriptError.syntax("'return' outside function", loc(3, 1))) {
            try Parser.parse("match x:\n  case 1: pass\nreturn 1\n")
        }
        // The first unsupported construct is the one reported.
        #expect(throws: ScriptError.unsupported("'async def' is not supported in model scripts", loc(2, 1))) {
            try Parser.parse("x = 1\nasync def f():\n  del x\ny = b'a'\n")
        }
    }

    // MARK: - Robustness

    @Test(arguments: [
        ")))", "\"abc", "\t\t x", "", "# only", "(", "[", "{", "\\", "x = \\", "'''", "if", "if x:", "for", "lambda",
        "x = [", "f(", "a[", "@", "x.", "1e", "0x", "\u{0}", "\r\n\r\n", "\u{0C}x = 1", "if x:\n  pass\n else:\n",
        "else", "elif", ":", "=", "x ==", "not", "**", "->", "...", ". .", "a.b.", "x = 'é", "é = 1",
        String(repeating: "(", count: 500), String(repeating: "-", count: 5000) + "x",
        "x = " + Array(repeating: "1", count: 5000).joined(separator: " + "),
        String(repeating: "x.", count: 3000) + "y",
    ])
    func garbageNeverCrashes(source: String) {
        // Whatever happens, it must be an answer, not a crash or a hang.
        do {
            _ = try Parser.parse(source)
        } catch is ScriptError {
        } catch {
            Issue.record("unexpected error type: \(error)")
        }
    }

    @Test func deepButReasonableNestingParses() throws {
        let parens = String(repeating: "(", count: 150) + "x" + String(repeating: ")", count: 150)
        #expect(try sexp(parens) == "x")
        let sum = Array(repeating: "1", count: 500).joined(separator: "+")
        #expect(try parse("x = \(sum)\n").count == 1)
    }

    @Test func parseExpressionEntryPoint() throws {
        #expect(try sexp("a, b") == "(tuple a b)")
        #expect(throws: ScriptError.syntax("invalid syntax", loc(1, 3))) { try Parser.parseExpression("a b") }
    }
}
