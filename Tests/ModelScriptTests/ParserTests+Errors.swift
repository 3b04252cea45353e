import Testing
@testable import ModelScript

// SyntaxErrors of the grammar beyond the old subset. Every message and
// position was produced by CPython 3.11.7 (`compile(source, "s", "exec")`,
// IndentationError and TabError included; `e.offset` is the column).
extension ParserTests {
    @Test(arguments: [
        // definitions
        ("def f(a=1, b): pass\n", "non-default argument follows default argument", 1, 12),
        ("def f(a, (b, c)): pass\n", "Function parameters cannot be parenthesized", 1, 10),
        ("def f(/, a): pass\n", "at least one argument must precede /", 1, 7),
        ("def f(a, /, b, /): pass\n", "/ may appear only once", 1, 16),
        ("def f(a, *, b, /): pass\n", "/ must be ahead of *", 1, 16),
        ("def f(a=1, /*): pass\n", "expected comma between / and *", 1, 13),
        ("def f(a=): pass\n", "expected default value expression", 1, 8),
        ("def f(*): pass\n", "named arguments must follow bare *", 1, 7),
        ("def f(*, **k): pass\n", "named arguments must follow bare *", 1, 7),
        ("def f(*a=1): pass\n", "var-positional argument cannot have default value", 1, 9),
        ("def f(*a, *b): pass\n", "* argument may appear only once", 1, 11),
        ("def f(**k=1): pass\n", "var-keyword argument cannot have default value", 1, 10),
        ("def f(**k, a): pass\n", "arguments cannot follow var-keyword argument", 1, 12),
        ("def f(**k, *a): pass\n", "arguments cannot follow var-keyword argument", 1, 12),
        ("def f:\n  pass\n", "expected '('", 1, 6),
        ("def f()\n  pass\n", "expected ':'", 1, 8),
        ("def f() -> :\n  pass\n", "expected ':'", 1, 9),
        ("def f():\npass\n", "expected an indented block after function definition on line 1", 2, 1),
        ("def f(x):\n  return\n y\n", "unindent does not match any outer indentation level", 3, 3),
        ("lambda a=1, b: 1\n", "non-default argument follows default argument", 1, 13),
        ("lambda a, (b, c): 1\n", "Lambda expression parameters cannot be parenthesized", 1, 11),
        ("lambda *: 1\n", "named arguments must follow bare *", 1, 9),
        ("lambda *a, *b: 1\n", "* argument may appear only once", 1, 12),
        ("lambda **k, a: 1\n", "arguments cannot follow var-keyword argument", 1, 13),
        ("lambda x: yield\n", "invalid syntax", 1, 11),
        ("class A\n  pass\n", "expected ':'", 1, 8),
        ("class A:\npass\n", "expected an indented block after class definition on line 1", 2, 1),
        ("class A(x for x in y): pass\n", "invalid syntax", 1, 11),
        ("@\ndef f(): pass\n", "invalid syntax", 1, 2),
        ("@x\nx = 1\n", "invalid syntax", 2, 1),
        // statements
        ("while x\n  pass\n", "expected ':'", 1, 8),
        ("while x:\npass\n", "expected an indented block after 'while' statement on line 1", 2, 1),
        ("for x in range(3)\n  pass\n", "expected ':'", 1, 18),
        ("for f() in x: pass\n", "cannot assign to function call", 1, 5),
        ("with a as b\n  pass\n", "expected ':'", 1, 12),
        ("with a as f(): pass\n", "cannot assign to function call", 1, 11),
        ("with a:\npass\n", "expected an indented block after 'with' statement on line 1", 2, 1),
        ("try:\npass\n", "expected an indented block after 'try' statement on line 1", 2, 1),
        ("try:\n  pass\nx = 1\n", "expected 'except' or 'finally' block", 3, 1),
        ("try:\n  pass\nexcept\n  pass\n", "expected ':'", 3, 7),
        ("try:\n  pass\nexcept E, F:\n  pass\n", "multiple exception types must be parenthesized", 3, 8),
        ("try:\n  pass\nexcept*:\n  pass\n", "expected one or more exception types", 3, 8),
        ("try:\n  pass\nexcept E:\n  pass\nexcept* F:\n  pass\n", "cannot have both 'except' and 'except*' on the same 'try'", 5, 1),
        ("try:\n  pass\nfinally:\npass\n", "expected an indented block after 'finally' statement on line 3", 4, 1),
        ("try:\n  pass\nexcept E:\npass\n", "expected an indented block after 'except' statement on line 3", 4, 1),
        ("try:\n  pass\nelse:\n  pass\n", "expected 'except' or 'finally' block", 3, 1),
        ("if x:\n  pass\nelif y:\npass\n", "expected an indented block after 'elif' statement on line 3", 4, 1),
        ("for x in y:\n  pass\nelse:\npass\n", "expected an indented block after 'else' statement on line 3", 4, 1),
        ("raise from x\n", "invalid syntax", 1, 7),
        ("del x, f()\n", "cannot delete function call", 1, 8),
        ("del x + 1\n", "cannot delete expression", 1, 5),
        ("del *a\n", "cannot delete starred", 1, 5),
        ("global x,\n", "invalid syntax", 1, 10),
        ("nonlocal\n", "invalid syntax", 1, 9),
        ("import a as b.c\n", "invalid syntax", 1, 14),
        ("x: int, y: int = 1, 2\n", "invalid syntax", 1, 7),
        ("(x, y): int\n", "only single target (not tuple) can be annotated", 1, 1),
        ("[x]: int\n", "only single target (not list) can be annotated", 1, 1),
        ("f(): int\n", "illegal target for annotation", 1, 1),
        ("x + 1: int\n", "illegal target for annotation", 1, 1),
        ("match x\n  case 1: pass\n", "expected ':'", 1, 8),
        ("match x:\ncase 1: pass\n", "expected an indented block after 'match' statement on line 1", 2, 1),
        ("match x:\n  case 1\n    pass\n", "expected ':'", 2, 9),
        ("match x:\n  case 1 as _:\n    pass\n", "cannot use '_' as a target", 2, 13),
        ("match x:\n  case A(a=1, 2):\n    pass\n", "positional patterns follow keyword patterns", 2, 15),
        ("match x:\n  case 1 + 2:\n    pass\n", "imaginary number required in complex literal", 2, 12),
        // expressions
        ("x = (*a)\n", "cannot use starred expression here", 1, 6),
        ("x = (**a)\n", "cannot use double starred expression here", 1, 6),
        ("x = [*a for a in b]\n", "iterable unpacking cannot be used in comprehension", 1, 6),
        ("x = {**a for a in b}\n", "dict unpacking cannot be used in dict comprehension", 1, 6),
        ("x = [a, b for a in c]\n", "did you forget parentheses around the comprehension target?", 1, 6),
        ("f(a for a in b, c)\n", "Generator expression must be parenthesized", 1, 3),
        ("f(c, a for a in b)\n", "Generator expression must be parenthesized", 1, 6),
        ("f(x=a for a in b)\n", "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", 1, 3),
        ("f(True=1)\n", "cannot assign to True", 1, 3),
        ("f(a.b=1)\n", "expression cannot contain assignment, perhaps you meant \"==\"?", 1, 3),
        ("f(**a, *b)\n", "iterable argument unpacking follows keyword argument unpacking", 1, 8),
        ("f(a=1, b)\n", "positional argument follows keyword argument", 1, 9),
        ("f(**a, b)\n", "positional argument follows keyword argument unpacking", 1, 9),
        ("x = {a: *b}\n", "cannot use a starred expression in a dictionary value", 1, 9),
        ("x = {a:}\n", "expression expected after dictionary key and ':'", 1, 7),
        ("x = {a: 1, b c}\n", "':' expected after dictionary key", 1, 12),
        ("x = {a b}\n", "invalid syntax. Perhaps you forgot a comma?", 1, 6),
        ("x := 1\n", "invalid syntax", 1, 3),
        ("(x := 1) = 2\n", "cannot assign to named expression here. Maybe you meant '==' instead of '='?", 1, 2),
        ("f(a.b := 1)\n", "invalid syntax", 1, 7),
        ("x = yield = 1\n", "assignment to yield expression not possible", 1, 5),
        ("x = 1 if 2\n", "expected 'else' after 'if' expression", 1, 5),
        ("x = lambda: (yield) = 1\n", "cannot assign to lambda", 1, 5),
        ("print 'hello'\n", "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 1),
        ("a, b += 1\n", "'tuple' is an illegal expression for augmented assignment", 1, 1),
        ("x = [i for i in]\n", "invalid syntax", 1, 16),
        ("(a, b) = *c = d\n", "starred assignment target must be in a list or tuple", 1, 10),
        // fstrings
        ("x = f'{}'\n", "f-string: empty expression not allowed", 1, 10),
        ("x = f'{ }'\n", "f-string: empty expression not allowed", 1, 11),
        ("x = f'{!r}'\n", "f-string: expression required before '!'", 1, 12),
        ("x = f'{:x}'\n", "f-string: expression required before ':'", 1, 12),
        ("x = f'{a!x}'\n", "f-string: invalid conversion character: expected 's', 'r', or 'a'", 1, 13),
        ("x = f'{a!}'\n", "f-string: invalid conversion character: expected 's', 'r', or 'a'", 1, 12),
        ("x = f'{a'\n", "f-string: expecting '}'", 1, 10),
        ("x = f'}'\n", "f-string: single '}' is not allowed", 1, 9),
        ("x = f'{a}}'\n", "f-string: single '}' is not allowed", 1, 12),
        ("x = f'{a#}'\n", "f-string expression part cannot include '#'", 1, 12),
        ("x = f'{\\n}'\n", "f-string expression part cannot include a backslash", 1, 12),
        ("x = f'{a:{b:{c}}}'\n", "f-string: expressions nested too deeply", 1, 19),
        ("x = f'{a]}'\n", "f-string: unmatched ']'", 1, 12),
        ("x = f'{a(]}'\n", "f-string: closing parenthesis ']' does not match opening parenthesis '('", 1, 13),
        ("x = f'{\"a}'\n", "f-string: unterminated string", 1, 12),
        ("x = f'{a b}'\n", "f-string: invalid syntax. Perhaps you forgot a comma?", 1, 2),
        ("x = f'abc{a +}'\n", "f-string: invalid syntax", 1, 5),
        ("x = f'{lambda x:1}'\n", "f-string: invalid syntax", 1, 10),
        ("x = f'{*a}'\n", "f-string: cannot use starred expression here", 1, 2),
        ("x = f'''{a,\n b c}'''\n", "f-string: invalid syntax. Perhaps you forgot a comma?", 2, -6),
        ("x = f'{a!r }'\n", "f-string: expecting '}'", 1, 14),
        ("x = f'\\x4{a}'\n", "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape", 1, 14),
        ("x = f'{1_}'\n", "invalid decimal literal", 1, 3),
        ("x = f'{yield}'\n", "'yield' outside function", 1, 8),
        // after parsing
        ("def f(a, a): pass\n", "duplicate argument 'a' in function definition", 1, 10),
        ("def f(a, *, b, **a): pass\n", "duplicate argument 'a' in function definition", 1, 18),
        ("lambda a, a: 1\n", "duplicate argument 'a' in function definition", 1, 11),
        ("def f(x):\n  global x\n", "name 'x' is parameter and global", 2, 3),
        ("def f():\n  x = 1\n  global x\n", "name 'x' is assigned to before global declaration", 3, 3),
        ("def f():\n  print(x)\n  global x\n", "name 'x' is used prior to global declaration", 3, 3),
        ("def f():\n  nonlocal y\n", "no binding for nonlocal 'y' found", 2, 3),
        ("class A:\n  nonlocal x\n", "no binding for nonlocal 'x' found", 2, 3),
        ("nonlocal x\n", "nonlocal declaration not allowed at module level", 1, 1),
        ("def f():\n  global x\n  nonlocal x\n", "name 'x' is nonlocal and global", 2, 3),
        ("def f():\n  global x\n  x: int = 1\n", "annotated name 'x' can't be global", 3, 3),
        ("def f():\n  from os import *\n", "import * only allowed at module level", 2, 18),
        ("[(yield) for x in y]\n", "'yield' inside list comprehension", 1, 3),
        ("def f():\n  (x for x in y if (yield))\n", "'yield' inside generator expression", 2, 21),
        ("def f():\n  [x := 1 for x in y]\n", "assignment expression cannot rebind comprehension iteration variable 'x'", 2, 4),
        ("[x for x in (y := z)]\n", "assignment expression cannot be used in a comprehension iterable expression", 1, 14),
        ("class A:\n  [(z := 1) for x in y]\n", "assignment expression within a comprehension cannot be used in a class body", 2, 5),
        ("[i for i in a if (j := 0) for j in b]\n", "comprehension inner loop cannot rebind assignment expression target 'j'", 1, 31),
        ("*a = 1\n", "starred assignment target must be in a list or tuple", 1, 1),
        ("*a, *b = c\n", "multiple starred expressions in assignment", 1, 1),
        ("x = *a\n", "can't use starred expression here", 1, 5),
        ("def f():\n  return *a\n", "can't use starred expression here", 2, 10),
        ("for *a in b: pass\n", "starred assignment target must be in a list or tuple", 1, 5),
        ("try:\n  pass\nexcept:\n  pass\nexcept E:\n  pass\n", "default 'except:' must be last", 3, 1),
        ("f(x=1, x=2)\n", "keyword argument repeated: x", 1, 8),
        ("class A(x=1, x=2): pass\n", "keyword argument repeated: x", 1, 14),
        ("(yield)(x=1, x=2)\n", "keyword argument repeated: x", 1, 14),
        ("return 1\n", "'return' outside function", 1, 1),
        ("class A:\n  yield 1\n", "'yield' outside function", 2, 3),
        ("for x in y:\n  def f():\n    break\n", "'break' outside loop", 3, 5),
        ("while x:\n  pass\nelse:\n  continue\n", "'continue' not properly in loop", 4, 3),
        ("await x\n", "'await' outside function", 1, 1),
        ("def f():\n  await x\n", "'await' outside async function", 2, 3),
        ("def f():\n  async for x in y: pass\n", "'async for' outside async function", 2, 3),
        ("async with x: pass\n", "'async with' outside async function", 1, 1),
        ("[x async for x in y]\n", "asynchronous comprehension outside of an asynchronous function", 1, 1),
        ("async def f():\n  yield 1\n  return 2\n", "'return' with value in async generator", 3, 3),
        ("async def f():\n  yield from x\n", "'yield from' inside async function", 2, 3),
        ("x = 1\nfrom __future__ import annotations\n", "from __future__ imports must occur at the beginning of the file", 2, 1),
        ("from __future__ import braces\n", "not a chance", 1, 1),
        ("from __future__ import nope\n", "future feature nope is not defined", 1, 1),
        ("__debug__ = 1\n", "cannot assign to __debug__", 1, 1),
        ("def f(__debug__): pass\n", "cannot assign to __debug__", 1, 1),
        ("try:\n  pass\nexcept E:\n  yield 1\nelse:\n  return 2\n", "'return' outside function", 6, 3),
    ])
    func languageErrors(source: String, message: String, line: Int, column: Int) {
        #expect(throws: ScriptError.syntax(message, loc(line, column))) {
            try Parser.parse(source)
        }
    }

    @Test func errorsAfterParsingComeInCPythonsOrder() {
        // The symbol table runs over the whole module before the compiler,
        // so its errors win even when they come later in the file.
        #expect(throws: ScriptError.syntax("nonlocal declaration not allowed at module level", loc(2, 1))) {
            try Parser.parse("return 1\nnonlocal x\n")
        }
        #expect(throws: ScriptError.syntax("duplicate argument 'a' in function definition", loc(2, 10))) {
            try Parser.parse("break\ndef f(a, a): pass\n")
        }
        // Within the compiler, code order: the value before its targets.
        #expect(throws: ScriptError.syntax("keyword argument repeated: x", loc(1, 24))) {
            try Parser.parse("f(*a, x=1)[0] = f(x=1, x=2)\n")
        }
        // Any parse error beats them all.
        #expect(throws: ScriptError.syntax("invalid syntax", loc(2, 3))) {
            try Parser.parse("return 1\nx y\n")
        }
    }

    @Test func errorColumnsFollowCPythonWithNonASCIIText() {
        // CPython converts byte columns with its line buffer, which after a
        // multi-line string still starts at the string's first line.
        #expect(throws: ScriptError.syntax("invalid syntax", loc(2, 4))) {
            try Parser.parse("\u{E9}\u{E9} = '''a\nb''' 1 2\n")
        }
        #expect(throws: ScriptError.syntax("invalid syntax", loc(1, 7))) {
            try Parser.parse("\u{E9} = 1 2\n")
        }
        // Inside an f-string expression it keeps bytes.
        #expect(throws: ScriptError.syntax("f-string: invalid syntax", loc(1, 10))) {
            try Parser.parse("x = f\"{\u{3B1}\u{3B2} != }\"\n")
        }
    }
}
