import Testing
@testable import ModelScript

// The shape of the tree for each construct of the language (the helpers
// are in ParserTests.swift). Where a shape encodes a choice CPython makes
// (f-string pieces, locations), `ast.parse` agrees; tools/fuzz_parser.py
// --positions checks every node's location against it.
extension ParserTests {
    // MARK: - Functions and classes

    @Test(arguments: [
        ("def f():\n  pass\n", "(def f () (pass))"),
        ("def f(a, b=1, /, c=2, *args, d, e=3, **kw):\n  return a\n",
         "(def f (a b=1 / c=2 *args d e=3 **kw) ((return a)))"),
        ("def f(a, /):\n  pass\n", "(def f (a /) (pass))"),
        ("def f(*, k):\n  pass\n", "(def f (* k) (pass))"),
        ("def f(x: int, *y: str, **z: 'T') -> None:\n  pass\n", "(def f (x:int *y:str **z:'T') -> None (pass))"),
        ("def f(*args: *Ts):\n  pass\n", "(def f (*args:(* Ts)) (pass))"),
        ("def f():\n  yield 1\n", "(def f () generator ((yield 1)))"),
        ("def f():\n  x = yield from g()\n", "(def f () generator ((= x (yield-from (call g)))))"),
        ("def f():\n  def g():\n    yield\n", "(def f () ((def g () generator ((yield)))))"),
        ("def f():\n  return lambda: (yield)\n", "(def f () ((return (lambda () (yield)))))"),
        ("def f():\n  return [x for x in (yield)]\n", "(def f () generator ((return (listcomp x (for x (yield))))))"),
        ("def f():\n  def g(x=(yield)): pass\n", "(def f () generator ((def g (x=(yield)) (pass))))"),
        ("@a\n@b.c(1)\ndef f(): pass\n", "(def f () @a @(call (. b c) 1) (pass))"),
        ("class A: pass\n", "(class A () (pass))"),
        ("class A(B, *bases, metaclass=M, **kw):\n  x: int = 0\n",
         "(class A (B (* bases) metaclass=M **kw) ((: x int 0)))"),
        ("@dataclass\nclass A():\n  def m(self): return self\n", "(class A () @dataclass ((def m (self) ((return self)))))"),
    ])
    func definitions(source: String, expected: String) throws {
        #expect(try sexps(source) == [expected])
    }

    @Test func definitionLocationsAndSources() throws {
        let stmts = try parse("@decorator\ndef forward(self,\n            x):\n    return x\nclass Net(Base):\n    pass\n")
        // CPython 3.8+ locates a decorated definition at its `def`.
        #expect(stmts.map(\.location) == [loc(2, 1), loc(5, 1)])
        #expect(stmts.map(\.source) == ["def forward(self,\n            x):", "class Net(Base):"])
        guard case .functionDef(let f) = stmts[0].kind, case .classDef(let c) = stmts[1].kind else {
            Issue.record("expected a def and a class")
            return
        }
        #expect(f.location == loc(2, 1))
        #expect(f.target.map(sexp) == "forward")
        #expect(f.target?.location == loc(2, 5))
        #expect(f.parameters.all.map(\.location) == [loc(2, 13), loc(3, 13)])
        #expect(c.target.location == loc(5, 7))
        #expect(f.decorators.first?.location == loc(1, 2))
    }

    @Test(arguments: [
        ("lambda: 0", "(lambda () 0)"),
        ("lambda a, b=1, *c, d, e=2, **f: a", "(lambda (a b=1 *c d e=2 **f) a)"),
        ("lambda a, /, b: a", "(lambda (a / b) a)"),
        ("lambda *, k=1: k", "(lambda (* k=1) k)"),
        ("lambda x: lambda y: x + y", "(lambda (x) (lambda (y) (+ x y)))"),
        ("lambda: (yield)", "(lambda () (yield))"),
    ])
    func lambdas(source: String, expected: String) throws {
        #expect(try sexp(source) == expected)
    }

    @Test func lambdaBodyIsOneReturn() throws {
        guard case .lambda(let f) = try Parser.parseExpression("lambda x=1: x").kind else {
            Issue.record("not a lambda")
            return
        }
        #expect(f.name == "<lambda>")
        #expect(f.target == nil)
        #expect(f.body.map(\.kind) == [.returnStmt(Expr(.name("x", .unresolved), at: loc(1, 13)))])
        #expect(f.parameters.regular.first?.location == loc(1, 8))
        #expect(!f.isGenerator)
    }

    // MARK: - Control flow

    @Test(arguments: [
        ("while x:\n  x -= 1\nelse:\n  pass\n", "(while x ((-= x 1)) (else (pass)))"),
        ("for a, *b in c:\n  break\nelse:\n  pass\n", "(for (tuple a (* b)) c (break) (else (pass)))"),
        ("for x in *a, b: pass\n", "(for x (tuple (* a) b) (pass))"),
        ("try:\n  f()\nexcept (A, B) as e:\n  raise\nexcept C:\n  pass\nexcept:\n  raise E from e\nelse:\n  g()\nfinally:\n  h()\n",
         "(try ((call f)) (except (tuple A B) as e ((raise))) (except C (pass)) (except ((raise E from e))) (else ((call g))) (finally ((call h))))"),
        ("try:\n  pass\nfinally:\n  pass\n", "(try (pass) (finally (pass)))"),
        ("with a as (b, c), d as e[0]:\n  pass\n", "(with (a as (tuple b c)) (d as (sub e 0)) (pass))"),
        ("with (a as b, c):\n  pass\n", "(with (a as b) (c) (pass))"),
        ("with (a, b):\n  pass\n", "(with (a) (b) (pass))"),
        ("with (a, b) as c:\n  pass\n", "(with ((tuple a b) as c) (pass))"),
        ("raise\n", "(raise)"),
        ("raise E('m')\n", "(raise (call E 'm'))"),
        ("del a, b.c, d[0], (e, [f])\n", "(del a (. b c) (sub d 0) (tuple e [f]))"),
        ("global a, b\n", "(global a b)"),
        ("def f():\n  nonlocal_ = 1\n", "(def f () ((= nonlocal_ 1)))"),
    ])
    func controlFlow(source: String, expected: String) throws {
        #expect(try sexps(source) == [expected])
    }

    @Test func exceptHandlerLocationsAndSources() throws {
        let stmts = try parse("try:\n  pass\nexcept ValueError as e:\n  pass\nexcept:\n  pass\n")
        guard case .tryStmt(_, let handlers, _, _)? = stmts.first?.kind else { Issue.record("not a try"); return }
        #expect(handlers.map(\.location) == [loc(3, 1), loc(5, 1)])
        #expect(handlers.map(\.source) == ["except ValueError as e:", "except:"])
        #expect(handlers.first?.name?.location == loc(3, 22))
        #expect(stmts.first?.source == "try:")
    }

    @Test func nonlocalInsideNestedFunction() throws {
        #expect(try sexps("def f():\n  x = 1\n  def g():\n    nonlocal x\n    x += 1\n") == [
            "(def f () ((= x 1) (def g () ((nonlocal x) (+= x 1)))))",
        ])
    }

    // MARK: - Assignments

    @Test(arguments: [
        ("x: int = 5\n", "(: x int 5)"),
        ("x: int\n", "(: x int)"),
        ("self.x: 'T' = y\n", "(: (. self x) 'T' y)"),
        ("a[0]: int\n", "(: (sub a 0) int)"),
        ("(x): int = 1\n", "(: x int 1)"),
        ("def f():\n  x: int = yield\n", "(def f () generator ((: x int (yield))))"),
        ("a, *rest = xs\n", "(= (tuple a (* rest)) xs)"),
        ("[a, *b] = *c, d\n", "(= [a (* b)] (tuple (* c) d))"),
        ("def f():\n  x = yield\n", "(def f () generator ((= x (yield))))"),
        ("def f():\n  x = y = yield z\n", "(def f () generator ((= x y (yield z))))"),
        ("a[*b] = c\n", "(= (sub a (tuple (* b))) c)"),
    ])
    func assignments(source: String, expected: String) throws {
        #expect(try sexps(source) == [expected])
    }

    // MARK: - Expressions

    @Test(arguments: [
        ("f(*a, x, **kw)", "(call f (* a) x **kw)"),
        ("f(a, k=1, *b, **c, d=2)", "(call f a (* b) k=1 **c d=2)"),
        ("f(x for x in y)", "(call f (generatorcomp x (for x y)))"),
        ("f((y := 1), z := 2)", "(call f (:= y 1) (:= z 2))"),
        ("[*a, b]", "[(* a) b]"),
        ("(*a, *b)", "(tuple (* a) (* b))"),
        ("{1, *a}", "#{1 (* a)}"),
        ("{'k': 1, **d}", "{'k': 1, **d}"),
        ("{a}", "#{a}"),
        ("[x * 2 for x in xs if x if x > 1 for y in x]", "(listcomp (* x 2) (for x xs (if x) (if (compare x > 1))) (for y x))"),
        ("{k: v for k, v in d.items()}", "(dictcomp k v (for (tuple k v) (call (. d items))))"),
        ("{x for x in s}", "(setcomp x (for x s))"),
        ("(x for x in s)", "(generatorcomp x (for x s))"),
        ("[y for x in a for y in x]", "(listcomp y (for x a) (for y x))"),
        ("[(y := f(x)), y]", "[(:= y (call f x)) y]"),
        ("a[x := 1]", "(sub a (:= x 1))"),
        ("a[1:2, *b]", "(sub a (tuple (slice 1 2 _) (* b)))"),
        ("x if (y := 1) else z", "(if (:= y 1) x z)"),
    ])
    func newExpressions(source: String, expected: String) throws {
        #expect(try sexp(source) == expected)
    }

    @Test func yieldExpressions() throws {
        #expect(try sexps("def f():\n  y = (yield)\n  z = (yield a, b)\n  w = g((yield from h))\n") == [
            "(def f () generator ((= y (yield)) (= z (yield (tuple a b))) (= w (call g (yield-from h)))))",
        ])
    }

    @Test func starredAndKeywordLocations() throws {
        let call = try Parser.parseExpression("f(*a, k=1, **kw)")
        guard case .call(_, let args, let keywords) = call.kind else { Issue.record("not a call"); return }
        #expect(args.map(\.location) == [loc(1, 3)])
        #expect(keywords.map(\.location) == [loc(1, 7), loc(1, 12)])
        #expect(keywords.map(\.name) == ["k", nil])
        // A generator expression alone in a call starts at the call's `(`.
        guard case .call(_, let genexp, _) = try Parser.parseExpression("sum(x for x in y)").kind else {
            Issue.record("not a call")
            return
        }
        #expect(genexp.map(\.location) == [loc(1, 4)])
        #expect(try Parser.parseExpression("[x for x in y]").location == loc(1, 1))
        #expect(try Parser.parseExpression("(n := 10)").location == loc(1, 2))
    }

    // MARK: - f-strings

    @Test(arguments: [
        ("f'a{x}b'", "(f 'a' {x} 'b')"),
        ("f''", "(f)"),
        ("f'plain'", "(f 'plain')"),
        ("'a' f'{x}' 'b'", "(f 'a' {x} 'b')"),
        ("f'{x!r} {y!s:>10} {z!a}'", "(f {x!r} ' ' {y!s:'>10'} ' ' {z!a})"),
        ("f'{x:{w}.{p}f}'", "(f {x:{w} '.' {p} 'f'})"),
        ("f'{x=}'", "(f 'x=' {x!r})"),
        ("f'a{x = }b'", "(f 'ax = ' {x!r} 'b')"),
        ("f'{x=:>5}'", "(f 'x=' {x:'>5'})"),
        ("f'{x=!s}'", "(f 'x=' {x!s})"),
        ("f'{x:}'", "(f {x})"),
        ("f'{{literal}} {{{x}}}'", "(f '{literal} {' {x} '}')"),
        ("f'\\t{x}\\n'", "(f '\t' {x} '\n')"),
        ("rf'\\t{x}'", "(f '\\t' {x})"),
        ("f'{a + b:{c}}'", "(f {(+ a b):{c}})"),
        ("f'{\"q\"}{x[\"k\"]}'", "(f {'q'} {(sub x 'k')})"),
        ("f'{x,y}'", "(f {(tuple x y)})"),
        ("f'{3:{{}}>10}'", "(f {3:{{}} '>10'})"),
        ("f'{x!r:{w}}' 'tail' f'{y}'", "(f {x!r:{w}} 'tail' {y})"),
        ("f'{ x }'", "(f {x})"),
        ("f'''{\nx\n}'''", "(f {x})"),
        ("f'\\N{EM DASH}{x}'", "(f '\u{2014}' {x})"),
    ])
    func formattedStrings(source: String, expected: String) throws {
        #expect(try sexp(source) == expected)
    }

    @Test func formattedStringExpressionLocations() throws {
        // Nodes inside an f-string are where they are in the script, as
        // CPython 3.11's ast puts them.
        let expr = try value(of: "x = f'ab{a + b}c{d:{w}}'\ny = f'''\n  {z}'''")
        guard case .formatted(let parts)? = expr?.kind,
              case .value(let sum, _, _) = parts[1], case .value(let d, _, let spec) = parts[3],
              case .value(let w, _, _)? = spec.first else {
            Issue.record("unexpected parts")
            return
        }
        #expect(expr?.location == loc(1, 5))
        #expect(sum.location == loc(1, 10))
        #expect(d.location == loc(1, 18))
        #expect(w.location == loc(1, 21))
        guard case .formatted(let more)? = try parse("x = 1\ny = f'''\n  {z}'''").last.map({ stmt -> ExprKind? in
            if case .assign(_, let v) = stmt.kind { return v.kind } else { return nil }
        }) ?? nil, case .value(let z, _, _)? = more.last else {
            Issue.record("unexpected parts")
            return
        }
        #expect(z.location == loc(3, 4))
    }

    @Test func plainStringsStayStrings() throws {
        #expect(try sexp("'a' 'b' \"c\"") == "'abc'")
        #expect(try sexp("'\\N{GREEK SMALL LETTER ALPHA}'") == "'\u{3B1}'")
    }

    // MARK: - Lexer

    @Test func formattedStringIsOneToken() {
        let tokens = Lexer.tokenize("f'{x}' rf\"a\" b'z'")
        guard case .formattedString(let raw, let body) = tokens[0].kind,
              case .formattedString(let raw2, _) = tokens[1].kind else {
            Issue.record("not f-string tokens: \(tokens.map(\.kind))")
            return
        }
        #expect(!raw && raw2)
        #expect(body == 2..<5)
        #expect(tokens[2].kind == .bytes(problem: nil))
    }

    @Test func tokensKnowTheirBracketLevel() {
        let levels = Lexer.tokenize("f(a, [b])").map(\.level)
        #expect(levels == [0, 1, 1, 1, 2, 2, 1, 0, 0, 0])
    }
}
