#!/usr/bin/env python3
"""Fuzzes the model-script parser against CPython's own compile().

Generates small Python programs from a grammar of the constructs the parser
handles (def, class, lambda, comprehensions, f-strings, try, starred
arguments and targets, ...), mutates them (deletes, duplicates, swaps and
replaces tokens, breaks indentation, truncates, edits f-strings), and
compares, for every script, CPython's verdict with the parser's:

  ok                     compile(src, "s", "exec") succeeds
  SyntaxError & co.      type, message, line and column (CPython's offset)

The parser's verdicts come from the parse-check tool (Package.swift target
`parse-check`), which reads a JSON array of scripts on stdin. A construct
the parser refuses (`{"unsupported": ...}`) counts as ok: CPython accepts
it, autograd-viz only declines to run it.

Run it under the Python that is the oracle (3.11):

  swift build --product parse-check
  python3 tools/fuzz_parser.py --count 5000 --seed 1
  python3 tools/fuzz_parser.py --write-corpus fixtures/parser/cases.json

Exit status: 0 when every verdict matched, 1 when some did not, 2 on a
usage error or when parse-check cannot run.
"""

import argparse
import ast
import io
import json
import os
import random
import subprocess
import sys
import tokenize
import warnings
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BIN = os.path.join(ROOT, ".build", "debug", "parse-check")
# Cases written while porting the parser, each checked against CPython: every
# invalid_* rule, CPython's symbol table and compiler errors, f-strings,
# non-ASCII columns. --write-corpus keeps all of them.
PROBES = os.path.join(ROOT, "tools", "parser_probes.json")

if sys.version_info[:2] != (3, 11):
    print(f"fuzz_parser.py: the oracle is CPython 3.11, this is {sys.version.split()[0]}", file=sys.stderr)
    sys.exit(2)

# CPython's parser recurses deeply on nested brackets; the scripts stay small.
sys.setrecursionlimit(10000)
# compile() warns about `1()` and the like; only errors matter here.
warnings.simplefilter("ignore")


# MARK: - Verdicts

def cpython_verdict(source):
    try:
        compile(source, "s", "exec")
        return {"ok": True}
    except SyntaxError as e:  # IndentationError and TabError included
        return {"type": type(e).__name__, "message": e.msg, "line": e.lineno, "column": character_offset(source, e)}
    except (RecursionError, MemoryError) as e:
        return {"type": type(e).__name__, "message": str(e), "line": 0, "column": 0}
    except ValueError as e:  # "source code string cannot contain null bytes"
        return {"type": "ValueError", "message": str(e), "line": 0, "column": 0}


def physical_lines(source):
    """The lines as the tokenizer counts them (str.splitlines also breaks at
    form feeds and other separators)."""
    return source.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def character_offset(source, error):
    """CPython's parser reports columns in characters, but its symbol table
    and compiler (errors in a tree that parsed) in UTF-8 bytes; the parser
    under test counts characters throughout, so convert those."""
    if error.offset is None or error.offset < 1 or source.isascii():
        return error.offset
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return error.offset  # a parse error: already characters
    lines = physical_lines(source)
    if not 1 <= error.lineno <= len(lines):
        return error.offset
    prefix = lines[error.lineno - 1].encode("utf-8")[:error.offset - 1]
    return len(prefix.decode("utf-8", errors="replace")) + 1


def our_verdicts(sources, binary, positions=False):
    command = [binary, "--positions"] if positions else [binary]
    result = subprocess.run(command, input=json.dumps(sources), capture_output=True, text=True)
    if result.returncode != 0:
        print(f"fuzz_parser.py: {binary} failed:\n{result.stderr}", file=sys.stderr)
        sys.exit(2)
    return json.loads(result.stdout)


# MARK: - Node locations

def python_positions(source):
    """Where CPython's `ast` puts each node that the parser's AST has too,
    in the order tools/parse-check/Positions.swift lists them."""
    out = []
    lines = physical_lines(source)

    def column(node):
        # `ast` counts bytes; the parser counts characters.
        line = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
        return len(line.encode("utf-8")[:node.col_offset].decode("utf-8", errors="replace")) + 1

    def emit(node, name=None):
        out.append(f"{name or type(node).__name__}@{node.lineno}:{column(node)}")

    def arguments(a):
        def arg(x):
            emit(x)
            if x.annotation:
                expr(x.annotation)
        for x in a.posonlyargs + a.args:
            arg(x)
        if a.vararg:
            arg(a.vararg)
        for x in a.kwonlyargs:
            arg(x)
        for d in a.kw_defaults:
            if d is not None:
                expr(d)
        if a.kwarg:
            arg(a.kwarg)
        for d in a.defaults:
            expr(d)

    def expr(e):
        if isinstance(e, ast.FormattedValue):
            expr(e.value)
            if e.format_spec:
                for v in e.format_spec.values:
                    if isinstance(v, ast.FormattedValue):
                        expr(v)
            return
        emit(e)
        if isinstance(e, ast.JoinedStr):
            for v in e.values:
                if isinstance(v, ast.FormattedValue):
                    expr(v)
        elif isinstance(e, ast.Lambda):
            arguments(e.args)
            expr(e.body)
        elif isinstance(e, ast.IfExp):
            expr(e.test), expr(e.body), expr(e.orelse)
        elif isinstance(e, ast.Dict):
            for k in e.keys:
                if k is not None:
                    expr(k)
            for v in e.values:
                expr(v)
        elif isinstance(e, ast.Call):
            expr(e.func)
            for a in e.args:
                expr(a)
            for k in e.keywords:
                emit(k, "keyword")
                expr(k.value)
        elif isinstance(e, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            if isinstance(e, ast.DictComp):
                expr(e.key), expr(e.value)
            else:
                expr(e.elt)
            for g in e.generators:
                expr(g.target), expr(g.iter)
                for c in g.ifs:
                    expr(c)
        else:
            for field in e._fields:
                value = getattr(e, field)
                if isinstance(value, ast.expr):
                    expr(value)
                elif isinstance(value, list):
                    for v in value:
                        if isinstance(v, ast.expr):
                            expr(v)

    def stmt(s):
        if isinstance(s, ast.Import):
            for _ in s.names:
                emit(s)
            return
        emit(s)
        if isinstance(s, ast.FunctionDef):
            arguments(s.args)
            body(s.body)
            for d in s.decorator_list:
                expr(d)
            if s.returns:
                expr(s.returns)
        elif isinstance(s, ast.ClassDef):
            for b in s.bases:
                expr(b)
            for k in s.keywords:
                emit(k, "keyword")
                expr(k.value)
            body(s.body)
            for d in s.decorator_list:
                expr(d)
        elif isinstance(s, ast.With):
            for item in s.items:
                expr(item.context_expr)
                if item.optional_vars:
                    expr(item.optional_vars)
            body(s.body)
        elif isinstance(s, ast.Try):
            body(s.body)
            for h in s.handlers:
                emit(h)
                if h.type:
                    expr(h.type)
                body(h.body)
            body(s.orelse)
            body(s.finalbody)
        elif isinstance(s, ast.ImportFrom):
            pass
        else:
            for field in s._fields:
                value = getattr(s, field)
                if isinstance(value, ast.expr):
                    expr(value)
                elif isinstance(value, list):
                    for v in value:
                        if isinstance(v, ast.expr):
                            expr(v)
                        elif isinstance(v, ast.stmt):
                            stmt(v)

    def body(statements):
        for s in statements:
            stmt(s)

    body(ast.parse(source).body)
    return out


# Differences with a known cause, reported apart from the mismatches:
# CPython's compiler checks match patterns (names bound by alternatives,
# unreachable cases, duplicate keys); the parser refuses `match` statements
# without modeling their patterns.
PATTERN_ERRORS = ("alternative patterns bind different names", "makes remaining patterns unreachable",
                  "multiple assignments to name", "mapping pattern checks duplicate key",
                  "patterns may only match literals and attribute lookups",
                  "mapping pattern keys may only match literals and attribute lookups",
                  "multiple starred names in sequence pattern", "attribute name repeated in class pattern")


def explained(cpython, ours):
    return (ours.get("unsupported") == "'match' statements are not supported in model scripts"
            and any(pattern in cpython.get("message", "") for pattern in PATTERN_ERRORS))


def agrees(cpython, ours):
    if "unsupported" in ours:
        return cpython == {"ok": True}
    if cpython.get("type") in ("RecursionError", "MemoryError"):
        return ours.get("type") == "RecursionError"
    return cpython == ours


# MARK: - Programs from a grammar

NAMES = ["x", "y", "z", "a", "b", "f", "g", "self", "item", "torch", "nn", "loss", "w", "é", "αβ"]
ATTRS = ["grad", "data", "sum", "backward", "shape", "append", "T", "weight"]


class Generator:
    """Random, valid programs built from the grammar of Python 3.11."""

    def __init__(self, rng):
        self.rng = rng

    def choice(self, items):
        return self.rng.choice(items)

    def chance(self, p):
        return self.rng.random() < p

    def name(self):
        return self.choice(NAMES)

    # Expressions. `depth` bounds nesting.

    def atom(self, depth):
        r = self.rng.random()
        if r < 0.35:
            return self.name()
        if r < 0.5:
            return self.choice(["0", "1", "2", "10", "0.5", "1e3", "0x1F", "1_000", "3.0"])
        if r < 0.58:
            return self.choice(["None", "True", "False", "..."])
        if r < 0.7:
            return self.string(depth)
        if depth <= 0:
            return self.name()
        return self.display(depth - 1)

    def string(self, depth):
        r = self.rng.random()
        if r < 0.4 or depth <= 0:
            return self.choice(["'a'", '"b"', "'it\\'s'", "'\\n'", "r'\\d'", "'''t'''", "'x' 'y'", "''", "'é€'"])
        return self.fstring(depth - 1)

    def fstring(self, depth):
        quote = self.choice(["'", '"'])
        other = '"' if quote == "'" else "'"
        parts = []
        for _ in range(self.rng.randint(1, 3)):
            if self.chance(0.4):
                parts.append(self.choice(["a", "b c", "{{", "}}", "=", "x: ", "\\t"]))
            else:
                expr = self.expr(min(depth, 1), no_strings=True)
                if self.chance(0.15):
                    expr = f"{other}q{other}"
                field = "{" + self.choice(["", " "]) + expr
                if self.chance(0.2):
                    field += self.choice(["=", " = ", "="])
                if self.chance(0.25):
                    field += "!" + self.choice("rsa")
                if self.chance(0.25):
                    spec = self.choice([">10", ".2f", "x", "", "{" + self.name() + "}", "0{w}d"])
                    field += ":" + spec
                parts.append(field + "}")
        prefix = self.choice(["f", "f", "F", "rf", "fr"])
        if self.chance(0.15):
            return prefix + quote * 3 + "".join(parts) + quote * 3
        return prefix + quote + "".join(parts) + quote

    def display(self, depth):
        r = self.rng.random()
        if r < 0.2:
            items = [self.element(depth) for _ in range(self.rng.randint(0, 3))]
            return "[" + ", ".join(items) + "]"
        if r < 0.35:
            items = [self.element(depth) for _ in range(self.rng.randint(0, 3))]
            if len(items) == 1:
                return "(" + items[0] + ",)"
            return "(" + ", ".join(items) + ")"
        if r < 0.45:
            items = [self.element(depth) for _ in range(self.rng.randint(1, 3))]
            return "{" + ", ".join(items) + "}"
        if r < 0.6:
            items = []
            for _ in range(self.rng.randint(0, 3)):
                if self.chance(0.2):
                    items.append("**" + self.primary(depth))
                else:
                    items.append(self.expr(depth) + ": " + self.expr(depth))
            return "{" + ", ".join(items) + "}"
        if r < 0.85:
            return self.comprehension(depth)
        return "(" + self.expr(depth) + ")"

    def element(self, depth):
        if self.chance(0.15):
            return "*" + self.primary(depth)
        return self.expr(depth)

    def comprehension(self, depth):
        clauses = []
        for _ in range(self.rng.randint(1, 2)):
            target = self.choice([self.name(), self.name() + ", " + self.name(), "(" + self.name() + ", *" + self.name() + ")"])
            clause = f"for {target} in {self.disjunction(depth)}"
            for _ in range(self.rng.randint(0, 1)):
                clause += " if " + self.disjunction(depth)
            clauses.append(clause)
        body = " ".join(clauses)
        kind = self.rng.random()
        if kind < 0.3:
            return f"[{self.expr(depth)} {body}]"
        if kind < 0.5:
            return f"{{{self.expr(depth)} {body}}}"
        if kind < 0.7:
            return f"{{{self.expr(depth)}: {self.expr(depth)} {body}}}"
        return f"({self.expr(depth)} {body})"

    def primary(self, depth):
        base = self.atom(depth)
        if base[0].isdigit() or base[0] in "'\"rfF" or base == "...":
            # `2.shape` is a bad number to the tokenizer, which would end
            # most mutants there; `(2).shape` is fine.
            if self.chance(0.8):
                return base
            base = "(" + base + ")"
        for _ in range(self.rng.randint(0, 2)):
            r = self.rng.random()
            if r < 0.35:
                base += "." + self.choice(ATTRS)
            elif r < 0.75:
                base += "(" + self.arguments(depth - 1) + ")"
            else:
                base += "[" + self.subscript(depth - 1) + "]"
        return base

    def arguments(self, depth):
        if depth < 0:
            return ""
        if self.chance(0.1):
            return self.expr(depth) + " for " + self.name() + " in " + self.name()
        args = []
        for _ in range(self.rng.randint(0, 2)):
            args.append(("*" if self.chance(0.15) else "") + self.expr(depth))
        for keyword in self.rng.sample(["dim", "key", "k", "requires_grad"], self.rng.randint(0, 2)):
            if self.chance(0.2):
                args.append("**" + self.expr(depth))
            else:
                args.append(keyword + "=" + self.expr(depth))
        return ", ".join(args)

    def subscript(self, depth):
        if depth < 0:
            return "0"
        items = []
        for _ in range(self.rng.randint(1, 2)):
            r = self.rng.random()
            if r < 0.5:
                items.append(self.expr(depth))
            else:
                items.append(self.choice(["", "1"]) + ":" + self.choice(["", "-1", self.name()]) + self.choice(["", ":2", ":"]))
        return ", ".join(items)

    def factor(self, depth):
        if self.chance(0.1):
            return self.choice(["-", "+", "~"]) + self.factor(depth)
        base = self.primary(depth)
        if self.chance(0.05):
            base += " ** " + self.primary(depth)
        return base

    def arith(self, depth):
        out = self.factor(depth)
        for _ in range(self.rng.randint(0, 2)):
            out += " " + self.choice(["+", "-", "*", "/", "//", "%", "@", "|", "&", "^", "<<"]) + " " + self.factor(depth)
        return out

    def comparison(self, depth):
        out = self.arith(depth)
        if self.chance(0.2):
            out += " " + self.choice(["<", ">", "==", "!=", "<=", "in", "not in", "is", "is not"]) + " " + self.arith(depth)
        return out

    def disjunction(self, depth):
        out = ("not " if self.chance(0.1) else "") + self.comparison(depth)
        if self.chance(0.15):
            out += " " + self.choice(["and", "or"]) + " " + self.comparison(depth)
        return out

    def expr(self, depth, no_strings=False):
        r = self.rng.random()
        if depth > 0 and r < 0.07:
            return self.lambda_expr(depth - 1)
        if depth > 0 and r < 0.12:
            return f"{self.disjunction(depth - 1)} if {self.disjunction(depth - 1)} else {self.expr(depth - 1)}"
        if depth > 0 and r < 0.15:
            return f"({self.name()} := {self.expr(depth - 1)})"
        out = self.disjunction(depth - 1)
        if no_strings and ("'" in out or '"' in out or "\\" in out):
            return self.name()
        return out

    def lambda_expr(self, depth):
        return "lambda " + self.parameters(lambda_=True, depth=depth) + ": " + self.expr(depth)

    def parameters(self, lambda_=False, depth=1):
        names = self.rng.sample(["a", "b", "c", "d", "e", "k"], 6)
        parts = []
        defaulted = False
        count = self.rng.randint(0, 3)
        for i in range(count):
            p = names.pop()
            if not lambda_ and self.chance(0.2):
                p += ": " + self.choice(["int", "str", "'T'", "list[int]"])
            if defaulted or self.chance(0.3):
                p += "=" + self.atom(0)
                defaulted = True
            parts.append(p)
        if parts and self.chance(0.15):
            parts.insert(self.rng.randint(1, len(parts)), "/")
        if self.chance(0.3):
            parts.append("*" + (names.pop() if self.chance(0.6) else ""))
            if parts[-1] == "*":
                parts.append(names.pop() + ("=1" if self.chance(0.5) else ""))
            elif self.chance(0.4):
                parts.append(names.pop())
        if self.chance(0.2):
            parts.append("**" + names.pop())
        return ", ".join(parts)

    # Statements, as lists of lines at `indent` (a string of spaces).

    def target(self):
        r = self.rng.random()
        if r < 0.5:
            return self.name()
        if r < 0.65:
            return self.name() + "." + self.choice(ATTRS)
        if r < 0.75:
            return self.name() + "[" + self.subscript(0) + "]"
        if r < 0.9:
            return self.name() + ", *" + self.name()
        return "[" + self.name() + ", " + self.name() + "]"

    def simple(self, ctx):
        r = self.rng.random()
        if r < 0.25:
            targets = [self.target() for _ in range(self.rng.randint(1, 2))]
            return " = ".join(targets) + " = " + self.value(ctx)
        if r < 0.33:
            return self.name() + " " + self.choice(["+=", "-=", "*=", "@=", "//="]) + " " + self.expr(1)
        if r < 0.4:
            t = self.choice([self.name(), "self." + self.choice(ATTRS)])
            return t + ": " + self.choice(["int", "'T'", "list[str]"]) + ("" if self.chance(0.3) else " = " + self.expr(1))
        if r < 0.55:
            return self.primary(2)
        if r < 0.6:
            return "assert " + self.expr(1) + self.choice(["", ", 'msg'"])
        if r < 0.65:
            return "del " + ", ".join(self.target() for _ in range(self.rng.randint(1, 2))).replace("*", "")
        if r < 0.7:
            return self.choice(["raise", "raise " + self.name() + "()", "raise " + self.name() + " from " + self.name()])
        if r < 0.74:
            return self.choice(["import torch", "import torch.nn as nn, math", "from torch import nn",
                                "from torch.nn import functional as F, init", "from math import (pi, e,)"])
        if r < 0.8 and "function" in ctx:
            return self.choice(["return", "return " + self.expr(1), "return " + self.name() + ", *" + self.name(),
                                "yield", "yield " + self.expr(1), "yield from " + self.name(), "x = yield"])
        if r < 0.84 and "loop" in ctx:
            return self.choice(["break", "continue"])
        if r < 0.87 and "function" in ctx:
            return self.choice(["global " + self.name(), "nonlocal " + self.choice(ctx.get("outer", ["zz"]))])
        if r < 0.88:
            return "pass"
        if r < 0.91:
            return self.choice(ODD_STATEMENTS)
        if r < 0.94 and ctx.get("errors"):
            return self.choice(SEMANTIC_ERRORS)
        return self.expr(2)

    def value(self, ctx):
        if "function" in ctx and self.chance(0.1):
            return "yield " + self.expr(1)
        if self.chance(0.1):
            return self.expr(1) + ", *" + self.name()
        return self.expr(2)

    def block(self, indent, ctx, depth):
        lines = []
        for _ in range(self.rng.randint(1, 3)):
            lines += self.statement(indent, ctx, depth)
        return lines

    def statement(self, indent, ctx, depth):
        if depth <= 0 or self.chance(0.55):
            line = self.simple(ctx)
            if self.chance(0.1):
                line += "; " + self.simple(ctx)
            return [indent + line]
        inner = indent + self.choice(["    ", "  "])
        r = self.rng.random()
        if r < 0.15:
            lines = []
            for _ in range(self.rng.randint(0, 2) if self.chance(0.3) else 0):
                lines.append(indent + "@" + self.primary(1))
            header = "def " + self.choice(["f", "g", "forward", "__init__"]) + "(" + self.parameters() + ")"
            if self.chance(0.2):
                header += " -> " + self.choice(["int", "None", "'Tensor'"])
            fctx = dict(ctx, function=True, outer=ctx.get("locals", ["a"]))
            fctx.pop("loop", None)
            return lines + [indent + header + ":"] + self.block(inner, fctx, depth - 1)
        if r < 0.25:
            lines = [indent + "@" + self.primary(1)] if self.chance(0.2) else []
            bases = self.choice(["", "()", "(nn.Module)", "(A, metaclass=M)", "(*bases)"])
            cctx = {k: v for k, v in ctx.items() if k not in ("loop", "function")}
            return lines + [indent + "class " + self.choice(["A", "Net", "B"]) + bases + ":"] + self.block(inner, cctx, depth - 1)
        if r < 0.4:
            lines = [indent + "if " + self.expr(1) + ":"] + self.block(inner, ctx, depth - 1)
            if self.chance(0.3):
                lines += [indent + "elif " + self.expr(1) + ":"] + self.block(inner, ctx, depth - 1)
            if self.chance(0.3):
                lines += [indent + "else:"] + self.block(inner, ctx, depth - 1)
            return lines
        if r < 0.52:
            target = self.choice([self.name(), self.name() + ", " + self.name(), "i, (a, *b)", "*a, b"])
            lines = [indent + "for " + target + " in " + self.expr(1) + ":"] + self.block(inner, dict(ctx, loop=True), depth - 1)
            if self.chance(0.25):
                lines += [indent + "else:"] + self.block(inner, ctx, depth - 1)
            return lines
        if r < 0.62:
            lines = [indent + "while " + self.expr(1) + ":"] + self.block(inner, dict(ctx, loop=True), depth - 1)
            if self.chance(0.25):
                lines += [indent + "else:"] + self.block(inner, ctx, depth - 1)
            return lines
        if r < 0.8:
            lines = [indent + "try:"] + self.block(inner, ctx, depth - 1)
            handlers = self.rng.randint(0 if self.chance(0.3) else 1, 2)
            for i in range(handlers):
                clause = self.choice(["except:", "except E:", "except (A, B) as e:", "except E as err:"])
                if clause == "except:" and i < handlers - 1:
                    clause = "except E:"
                lines += [indent + clause] + self.block(inner, ctx, depth - 1)
            if handlers and self.chance(0.3):
                lines += [indent + "else:"] + self.block(inner, ctx, depth - 1)
            if not handlers or self.chance(0.3):
                lines += [indent + "finally:"] + self.block(inner, ctx, depth - 1)
            return lines
        items = self.choice(["torch.no_grad()", "a as b", "a as b, c", "(a as b, c as d)", "open(f) as (x, y)"])
        return [indent + "with " + items + ":"] + self.block(inner, ctx, depth - 1)

    def program(self):
        lines = []
        ctx = {"errors": True} if self.chance(0.2) else {}
        for _ in range(self.rng.randint(1, 4)):
            if self.chance(0.08):
                lines += self.choice(SPECIAL_BLOCKS).split("\n")
            lines += self.statement("", ctx, 3)
        return "\n".join(lines) + "\n"


# Statements outside the generator's grammar, valid Python all.
ODD_STATEMENTS = [
    "print(x)", "global x", "x = y = z", "a[*b] = c", "a, = b", "(a): int = 1",
    "x = lambda *a, k=1, **kw: (a, k, kw)", "z = [y := f(x), y ** 2]", "print(f'{x!r:>{w}}')",
    "x = 1 if y else 2 if z else 3", "x = not a in b", "x = a < b > c != d", "f(*a, *b, **c, **d)",
    "x = {**a, 'k': 1, **b}", "x = [*a, *b]", "x = *a, *b", "del (a), [b], c.d, e[0]",
    "x = (yield)", "assert x, (yield)", "raise E from None", "import a.b.c as d",
    "from a.b import (c as d, e,)", "x = a if b else lambda: c", "x = [[y for y in x] for x in z]",
    "x = {k: v for k, v in d.items() if k}", "x = (i async for i in a)", "x = 0o17 + 0b1 + 1_0.5e-3",
    "x = '''multi\nline''' f'{y}'", "x = u'text' 'more'", "x = ...", "f(x for x in y)",
]

# Valid Python the symbol table or the compiler rejects (and constructs
# the parser refuses); some programs get one.
SEMANTIC_ERRORS = [
    "return 1", "yield x", "break", "continue", "nonlocal x", "*a = b", "a, *b, *c = d", "x = *a",
    "f(x=1, x=2)", "f(**k, *a)", "f(a for a in b, c)", "del *a", "del f()", "__debug__ = 1",
    "[x := 1 for x in y]", "[i for i in (j := k)]", "await x", "lambda: (yield)", "x = {**a: b}",
    "from __future__ import braces", "from __future__ import annotations", "import *", "(a, b) += 1",
    "f() = 1", "None = 1", "x: int = *a", "for x in *a: pass", "(yield) = 1", "a + 1 = b",
    "print x", "exec 'code'", "x = b'bytes'", "x = 1j", "from . import y", "f(a=1, *b)", "f(**a, b)",
]

# Whole blocks, valid or not, that programs start with now and then.
SPECIAL_BLOCKS = [
    "def f(a, a):\n    pass",
    "def f():\n    x = 1\n    global x",
    "def f(x):\n    global x",
    "def f():\n    def g():\n        nonlocal x\n    x = 1",
    "def f():\n    def g():\n        nonlocal y",
    "class A:\n    [(z := 1) for a in b]",
    "try:\n    pass\nexcept:\n    pass\nexcept E:\n    pass",
    "try:\n    pass\nexcept* E:\n    pass",
    "async def f():\n    await g()\n    async for x in y:\n        pass\n    async with a as b:\n        pass",
    "async def f():\n    yield 1\n    return 2",
    "def f():\n    async for x in y:\n        pass",
    "def f():\n    return [x async for x in y]",
    "match x:\n    case [1, *rest] if rest:\n        pass\n    case {'k': v, **kw}:\n        pass\n"
    "    case Point(x=0) | None:\n        pass\n    case _:\n        pass",
    "match = 1\ncase = match",
    "@decorator\n@other.thing(1)\nclass C(Base, metaclass=M):\n    x: int = 0\n"
    "    def method(self, /, a, *, b=2):\n        return super().method(a)",
    "with (open(a) as f,\n      open(b) as g):\n    pass",
    "x = b'bytes' + 1j + 99999999999999999999",
    "from . import sibling\nfrom ..pkg import *",
    "if x:\n    pass\nelif y:\npass",
    "def f():\n    from os import *",
    "for x in y:\n    pass\nelse:\n    break",
    "while x:\n    def g():\n        continue",
    "x = f'{a!x}'",
    "x = f'{a=}' f'{b = !s:>{w}}' 'tail'",
    "x = f'{{{a}}}'",
    "x = f'{a:{b:{c}}}'",
    "x = f'''{\na\n+ b}'''",
    "x = rf'\\{a}\\n'",
    "x = f'{\"s\"}'",
    "x = f'{a[\"k\"]}'",
    "def f():\n    x = yield\n    y = yield from g()\n    return x, y",
    "def outer():\n    v = 1\n    def inner():\n        nonlocal v\n        v += 1\n    return inner",
    "x = 1 \\\n    + 2",
    "if True:\n    x = (1,\n2)\n    y = 3",
]


# MARK: - Mutations

TOKEN_POOL = [":", "(", ")", "[", "]", "{", "}", ",", "=", "==", ":=", "*", "**", ".", "->", "@", "+", ";",
              "def", "class", "lambda", "if", "else", "elif", "for", "in", "while", "try", "except", "finally",
              "return", "yield", "from", "import", "as", "not", "and", "is", "del", "global", "nonlocal",
              "pass", "break", "async", "await", "None", "True", "x", "f", "1", "'s'", "f'{x}'", "f'{'", "\\",
              "$", "!", "match", "case", "_", "print", "/", "**kw", "*a", "...", "b''", "1j", "`", "?", "\t"]


def tokens_of(source):
    """Python's tokens of `source`, with their spans as string offsets."""
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    spans = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type in (tokenize.ENDMARKER, tokenize.DEDENT, tokenize.INDENT, tokenize.NL, tokenize.COMMENT):
                continue
            (sl, sc), (el, ec) = tok.start, tok.end
            if sl - 1 >= len(starts) or el - 1 >= len(starts):
                continue
            spans.append((starts[sl - 1] + sc, starts[el - 1] + ec, tok.string))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return spans


class Mutator:
    def __init__(self, rng):
        self.rng = rng

    def mutate(self, source):
        spans = [s for s in tokens_of(source) if s[0] < s[1]]
        ops = [self.delete_token, self.duplicate_token, self.swap_tokens, self.replace_token, self.insert_token,
               self.break_indentation, self.truncate, self.delete_line, self.duplicate_line, self.join_lines,
               self.char_edit, self.fstring_edit]
        for _ in range(10):
            op = self.rng.choice(ops)
            result = op(source, spans)
            if result is not None and result != source:
                return result
        return source[:-1]

    def delete_token(self, s, spans):
        if not spans:
            return None
        a, b, _ = self.rng.choice(spans)
        return s[:a] + s[b:]

    def duplicate_token(self, s, spans):
        if not spans:
            return None
        a, b, _ = self.rng.choice(spans)
        return s[:b] + " " + s[a:b] + s[b:]

    def swap_tokens(self, s, spans):
        if len(spans) < 2:
            return None
        i = self.rng.randrange(len(spans) - 1)
        (a1, b1, t1), (a2, b2, t2) = spans[i], spans[i + 1]
        if "\n" in t1 or "\n" in t2:
            return None
        return s[:a1] + t2 + s[b1:a2] + t1 + s[b2:]

    def replace_token(self, s, spans):
        if not spans:
            return None
        a, b, _ = self.rng.choice(spans)
        return s[:a] + self.rng.choice(TOKEN_POOL) + s[b:]

    def insert_token(self, s, spans):
        if not spans:
            return None
        a, _, _ = self.rng.choice(spans)
        return s[:a] + self.rng.choice(TOKEN_POOL) + " " + s[a:]

    def break_indentation(self, s, spans):
        lines = s.split("\n")
        i = self.rng.randrange(len(lines))
        line = lines[i]
        stripped = line.lstrip(" ")
        width = len(line) - len(stripped)
        r = self.rng.random()
        if r < 0.3:
            lines[i] = " " * (width + self.rng.choice([1, 2, 4])) + stripped
        elif r < 0.6 and width:
            lines[i] = " " * (width - self.rng.randint(1, width)) + stripped
        elif r < 0.8:
            lines[i] = "\t" + line.lstrip(" ") if width else "\t" + line
        else:
            lines[i] = " " * width + "\t" + stripped
        return "\n".join(lines)

    def truncate(self, s, spans):
        if len(s) < 2:
            return None
        return s[:self.rng.randrange(1, len(s))]

    def delete_line(self, s, spans):
        lines = s.split("\n")
        if len(lines) < 2:
            return None
        del lines[self.rng.randrange(len(lines))]
        return "\n".join(lines)

    def duplicate_line(self, s, spans):
        lines = s.split("\n")
        i = self.rng.randrange(len(lines))
        lines.insert(i, lines[i])
        return "\n".join(lines)

    def join_lines(self, s, spans):
        lines = s.split("\n")
        if len(lines) < 2:
            return None
        i = self.rng.randrange(len(lines) - 1)
        lines[i:i + 2] = [lines[i] + " " + lines[i + 1].lstrip()]
        return "\n".join(lines)

    def char_edit(self, s, spans):
        if not s:
            return None
        i = self.rng.randrange(len(s))
        if self.rng.random() < 0.5:
            return s[:i] + s[i + 1:]
        return s[:i] + self.rng.choice("(){}[]:,.='\"\\#!*\t\n ") + s[i:]

    def fstring_edit(self, s, spans):
        fstrings = [(a, b, t) for a, b, t in spans if t[:2].lower() in ("f'", 'f"', "rf", "fr")]
        if not fstrings:
            return None
        a, b, t = self.rng.choice(fstrings)
        body = list(t)
        positions = [i for i, c in enumerate(body) if c in "{}!:="] or [len(body) // 2]
        i = self.rng.choice(positions)
        edit = self.rng.choice(["del", "{", "}", "!x", "!", "=", ":", "#", "\\\\n", " ", "{}", "{{", "$ 1_", "1_", " $",
                                "\u20ac", "'", "\\n"])
        if edit == "del":
            del body[i]
        else:
            body[i:i] = list(edit)
        return s[:a] + "".join(body) + s[b:]


# MARK: - Driver

def cases(seed, count):
    rng = random.Random(seed)
    generator, mutator = Generator(rng), Mutator(rng)
    out = []
    while len(out) < count:
        program = generator.program()
        out.append(program)
        for _ in range(rng.randint(1, 4)):
            if len(out) >= count:
                break
            mutated = program
            for _ in range(rng.choice([1, 1, 1, 2])):
                mutated = mutator.mutate(mutated)
            out.append(mutated)
    return out


def describe(verdict):
    if "positions" in verdict:
        return " ".join(verdict["positions"])
    if "unsupported" in verdict:
        return f"unsupported: {verdict['unsupported']} @ {verdict['line']}:{verdict['column']}"
    if verdict.get("ok"):
        return "ok"
    return f"{verdict['type']}: {verdict['message']} @ {verdict['line']}:{verdict['column']}"


def run(sources, binary, batch=500, positions=False):
    results = []
    for start in range(0, len(sources), batch):
        chunk = sources[start:start + batch]
        for source, ours in zip(chunk, our_verdicts(chunk, binary, positions)):
            python = cpython_verdict(source)
            if "positions" in ours:
                if python.get("ok") and python_positions(source) != ours["positions"]:
                    python = {"positions": python_positions(source)}
                else:
                    ours = {"ok": True}
            results.append((source, python, ours))
    return results


def write_corpus(path, results, per_message, probes):
    """Keeps every probe and the shortest few generated cases per CPython
    message (more valid programs), all of which the parser gets right."""
    by_message = defaultdict(list)
    corpus = []
    for source, cpython, ours in results:
        if not agrees(cpython, ours) or cpython.get("type") in ("RecursionError", "MemoryError", "ValueError"):
            continue
        if "positions" in cpython:
            cpython = {"ok": True}
        if source in probes:
            corpus.append((source, cpython))
            probes = probes - {source}
            continue
        by_message[describe_shape(cpython)].append((source, cpython))
    for key in sorted(by_message):
        limit = per_message * (6 if key == "ok" else 1)
        corpus += sorted(set((s, json.dumps(c)) for s, c in by_message[key]), key=lambda case: (len(case[0]), case[0]))[:limit]
    corpus = [(s, json.loads(c) if isinstance(c, str) else c) for s, c in corpus]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        about = ("Scripts and CPython 3.11's verdict on each: compile(source, 's', 'exec') succeeds (ok), or "
                 "raises the SyntaxError (IndentationError, TabError) with this message, line and column "
                 "(CPython's offset; for errors found after parsing, which CPython counts in bytes, in characters). "
                 "Written by tools/fuzz_parser.py --write-corpus, checked by Tests/ModelScriptTests/"
                 "ParserCorpusTests.swift.")
        f.write('{"about": ' + json.dumps(about) + ', "cases": [\n')
        f.write(",\n".join(json.dumps({"source": s, "python": c}, sort_keys=True, ensure_ascii=False)
                           for s, c in corpus))
        f.write("\n]}\n")
    return len(corpus)


def describe_shape(verdict):
    return "ok" if verdict.get("ok") else verdict["type"] + ": " + message_shape(verdict["message"])


def message_shape(message):
    """A message with its line numbers and names blanked, to group alike."""
    import re
    message = re.sub(r"line \d+", "line N", message)
    return re.sub(r"'[^']*'", "'_'", message)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="scripts to try (default 2000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--bin", default=DEFAULT_BIN, help="the parse-check executable")
    parser.add_argument("--show", type=int, default=30, help="mismatches to print (default 30)")
    parser.add_argument("--file", help="check the scripts of a JSON array in this file instead")
    parser.add_argument("--write-corpus", metavar="PATH", help="write a regression corpus of matching cases")
    parser.add_argument("--per-message", type=int, default=4, help="corpus cases per CPython message (default 4)")
    parser.add_argument("--stats", action="store_true", help="count CPython's verdicts by message")
    parser.add_argument("--probes", action="store_true",
                        help=f"also check the hand-written cases of {os.path.relpath(PROBES, ROOT)}")
    parser.add_argument("--positions", action="store_true",
                        help="also compare the location of every node of the scripts that parse")
    args = parser.parse_args()
    if not os.path.exists(args.bin):
        print(f"fuzz_parser.py: no {args.bin}; run `swift build --product parse-check` first", file=sys.stderr)
        return 2

    if args.file:
        with open(args.file) as f:
            sources = json.load(f)
    else:
        sources = cases(args.seed, args.count)
    probes = []
    if args.probes or args.write_corpus:
        with open(PROBES) as f:
            probes = json.load(f)
        sources = probes + sources
    results = run(sources, args.bin, positions=args.positions)
    mismatches = [(s, c, o) for s, c, o in results if not agrees(c, o) and not explained(c, o)]
    explanations = [(s, c, o) for s, c, o in results if not agrees(c, o) and explained(c, o)]
    kinds = Counter("ok" if c.get("ok") or "positions" in c else c.get("type") for _, c, _ in results)
    for source, cpython, ours in mismatches[:args.show]:
        print(repr(source))
        print("    python:", describe(cpython))
        print("    ours:  ", describe(ours))
    print(f"{len(results)} scripts ({', '.join(f'{k} {n}' for k, n in kinds.most_common())}); "
          f"{len(mismatches)} mismatches; {len(explanations)} explained (pattern errors of refused match statements)")
    if args.stats:
        shapes = Counter(describe_shape(c) for _, c, _ in results)
        for shape, n in shapes.most_common():
            print(f"{n:6}  {shape}")
    if args.write_corpus:
        written = write_corpus(args.write_corpus, results, args.per_message, set(probes))
        print(f"wrote {written} cases to {args.write_corpus}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
