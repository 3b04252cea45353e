#!/usr/bin/env python3
"""Writes fixtures/python-lib/setorder.json: CPython 3.11's set iteration order.

    python3 tools/make_setorder_goldens.py     # needs CPython 3.11, nothing else

A set iterates in the order of its hash table (Objects/setobject.c), so what
`print(s)` shows depends on every add, discard, resize and on which code path
built the set. The Swift suite `CPythonSetTableTests` replays each scenario
with `CPythonSetTable` and compares the order after every step.

The script re-executes itself with PYTHONHASHSEED=0 (str hashes are SipHash-1-3
keyed by the hash secret, which that seed sets to zeros).

File layout:

- "hashes": `hash()` of strs, bytes (as hex), tuples and frozensets (their
  items), each [value, hash].
- "scenarios": [{"name", "steps": [step, ...]}]. Variables "a", "b", "c" hold
  sets (always distinct objects). Each step names its target "dst" and holds
  "out", the target's `list(...)` after the step, or "error" when the step
  raised (the KeyError of remove/pop); pop and remove also record "ret".

Values: int -> JSON integer, bool -> true/false, float -> {"f": repr},
str -> JSON string, tuple -> JSON array of values.

Operands ("rhs", "args", "star"): {"var": name} (the set in that variable; the
receiver itself when it names the same variable), {"set": [values]} (a fresh
set built from the list), {"dict": [keys]} (an exact dict: its keys in order),
{"list": [values]} (any other iterable).

Steps ("op"):
  new      dst = a set from "from": {"empty"}, {"list": vs} (set(list)),
           {"range": [start, stop, step]}, {"display": vs} (`{v0, v1, ...}` of
           variables: BUILD_SET), {"const": vs} (a display of literals: the
           compiler's frozenset constant), {"comp": vs} (`{x for x in vs}`),
           {"star": [piece, ...]} (`{v0, *s, v1}`; a piece is {"item": v} or
           {"star": operand}), {"operand": operand} (set(operand)),
           {"copy": var}, {"frozenset": var} (frozenset(var), kept as a set)
  iterconst  out = [x for x in {literals}]: the frozenset constant itself
           ("rebuilds": how many times the compiler rebuilt it)
  add / discard / remove   "key"
  pop / clear
  binop    dst = lhs OP rhs, OP in | & - ^
  method   dst = lhs.NAME(*args), NAME in union intersection difference
           symmetric_difference copy
  inplace  dst OP= rhs (OP in |= &= -= ^=), or dst.NAME(*args) for update,
           intersection_update, difference_update, symmetric_difference_update
  big      dst = set(weyl(n)) (see weyl()); "out" is {"n", "head", "sig"}: the
           length, the first 50 items and a checksum of the whole order
           (sig = sig * 1000003 + x, mod 2**64, over the items as uint64)

Every sweep is seeded, so the file is reproducible.
"""

import json
import math
import os
import random
import sys

if sys.version_info[:2] != (3, 11):
    sys.exit(f"needs CPython 3.11 (its set code is the golden), not {sys.version.split()[0]}")
if os.environ.get("PYTHONHASHSEED") != "0":
    env = dict(os.environ, PYTHONHASHSEED="0")
    os.execve(sys.executable, [sys.executable] + sys.argv, env)
assert sys.hash_info.algorithm == "siphash13" and sys.hash_info.cutoff == 0

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "python-lib")
MASK64 = (1 << 64) - 1
MODULUS = (1 << 61) - 1


# ---------------------------------------------------------------- values

def enc(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        assert -(2**63) <= v < 2**63, v
        return v
    if isinstance(v, float):
        return {"f": repr(v)}
    if isinstance(v, str):
        return v
    if isinstance(v, tuple):
        return [enc(x) for x in v]
    raise TypeError(type(v))


def literal(v):
    """Source text that the compiler folds into the constant v."""
    if isinstance(v, float):
        if math.isinf(v):
            return "1e999" if v > 0 else "-1e999"
        return repr(v)
    if isinstance(v, tuple):
        if len(v) == 1:
            return "(" + literal(v[0]) + ",)"
        return "(" + ", ".join(literal(x) for x in v) + ")"
    return repr(v)


def name_like(v):
    """A str constant that code-object creation interns (Objects/codeobject.c
    all_name_chars). Single characters are already the interned singletons."""
    return isinstance(v, str) and len(v) >= 2 and v.isascii() and all(c.isalnum() or c == "_" for c in v)


# ---------------------------------------------------------------- pools

LETTERS = "abcdefghijklmnopqrstuvwxyz"
UNICODE = "é€中ßñ\u00ff\u0100\uffff😀\U0010ffff\u00e9\u0301Ωж"


def pool(r, kind):
    if kind == "small":
        return list(range(-10, 40))
    if kind == "stride":
        stride = r.choice([8, 16, 32, 64, 128, 1024, 2**20, 2**32, 2**40])
        return [stride * k for k in range(-5, 60)]
    if kind == "big":
        return [r.randrange(-(2**62), 2**62 + 1) for _ in range(60)] + [2**62, -(2**62), 2**61, 2**61 - 1]
    if kind == "modulus":
        return [k * MODULUS + j for k in range(-2, 3) for j in range(-3, 12)] + [-1, -2, 2**62, 2**62 - 1]
    if kind == "float":
        return ([k / 4 for k in range(-20, 40)] + [k + 0.5 for k in range(10)] + [float(k) for k in range(10)]
                + [1e300, -1e300, 1e-300, math.inf, -math.inf, -0.0, 0.0, 2.0**61, 2.0**62, 1e16, 0.1, 0.2, 0.3])
    if kind == "bool":
        return [True, False, 0, 1, 0.0, 1.0, -0.0, 2, 3, 2.0, -1]
    if kind == "str":
        words = ["".join(r.choice(LETTERS) for _ in range(r.randrange(0, 7))) for _ in range(40)]
        uni = ["".join(r.choice(UNICODE + LETTERS) for _ in range(r.randrange(1, 5))) for _ in range(15)]
        return words + uni + ["", "a", "b", "ab", "hello", "world", "x y", "k-1"]
    if kind == "tuple":
        items = []
        for _ in range(40):
            n = r.randrange(0, 4)
            items.append(tuple(r.choice([r.randrange(-5, 20), r.choice(LETTERS), r.randrange(8) / 2,
                                         (r.randrange(3), r.choice("xy"))]) for _ in range(n)))
        return items + [(), (1,), (1, 2), (1.0, 2), (True, 2), ((),)]
    if kind == "mixed":
        out = []
        for k in r.sample(["small", "stride", "big", "float", "bool", "str", "tuple", "modulus"], 3):
            p = pool(r, k)
            out += r.sample(p, min(15, len(p)))
        return out
    raise ValueError(kind)


KINDS = ["small", "stride", "big", "modulus", "float", "bool", "str", "tuple", "mixed", "mixed"]


def literal_ok(v):
    if isinstance(v, float):
        return not math.isnan(v)
    if isinstance(v, tuple):
        return all(literal_ok(x) for x in v)
    return True


# ---------------------------------------------------------------- steps

class Scenario:
    def __init__(self, name):
        self.name = name
        self.ns = {"a": set(), "b": set(), "c": set()}
        self.steps = []

    def operand(self, spec):
        if "var" in spec:
            return self.ns[spec["var"]]
        if "set" in spec:
            return set(spec["_values"])
        if "dict" in spec:
            return spec["_dict"]
        if "list" in spec:
            return list(spec["_values"])
        raise ValueError(spec)

    def step(self, step, body):
        dst = step["dst"]
        try:
            ret = body()
            if ret is not None:
                step["ret"] = ret
        except KeyError:
            step["error"] = "KeyError"
        step["out"] = [enc(x) for x in self.ns[dst]]
        self.steps.append(step)

    def json(self):
        def clean(x):
            if isinstance(x, dict):
                return {k: clean(v) for k, v in x.items() if not k.startswith("_")}
            if isinstance(x, list):
                return [clean(v) for v in x]
            return x
        return {"name": self.name, "steps": clean(self.steps)}


def make_operand(kind, values, var=None):
    if kind == "var":
        return {"var": var}
    if kind == "set":
        return {"set": [enc(v) for v in values], "_values": values}
    if kind == "dict":
        d = dict.fromkeys(values)
        return {"dict": [enc(k) for k in d], "_dict": d}
    if kind == "list":
        return {"list": [enc(v) for v in values], "_values": values}
    raise ValueError(kind)


def new(sc, dst, source, values=None, extra=None):
    ns = sc.ns
    step = {"op": "new", "dst": dst}
    if source in ("const", "display") and not values:
        source = "empty"  # `{}` is a dict
    if source == "empty":
        step["from"] = {"empty": True}
        ns[dst] = set()
    elif source == "list":
        step["from"] = {"list": [enc(v) for v in values]}
        ns[dst] = set(values)
    elif source == "range":
        step["from"] = {"range": list(extra)}
        ns[dst] = set(range(*extra))
    elif source == "display":
        step["from"] = {"display": [enc(v) for v in values]}
        names = [f"v{i}" for i in range(len(values))]
        ns[dst] = eval("lambda " + ", ".join(names) + ": {" + ", ".join(names) + "}")(*values)
    elif source == "const":
        step["from"] = {"const": [enc(v) for v in values], "rebuilds": 1 + any(map(name_like, values))}
        for v in values:
            if name_like(v):
                sys.intern(v)
        ns[dst] = eval("{" + ", ".join(literal(v) for v in values) + "}")
    elif source == "comp":
        step["from"] = {"comp": [enc(v) for v in values]}
        ns[dst] = {x for x in values}
    elif source == "star":
        pieces, args, parts = [], [], []
        for p in extra:
            if p[0] == "item":
                pieces.append({"item": enc(p[1])})
                parts.append(f"p{len(args)}")
                args.append(p[1])
            else:
                pieces.append({"star": p[1]})
                parts.append(f"*p{len(args)}")
                args.append(sc.operand(p[1]))
        step["from"] = {"star": pieces}
        names = [f"p{i}" for i in range(len(args))]
        ns[dst] = eval("lambda " + ", ".join(names) + ": {" + ", ".join(parts) + "}")(*args)
    elif source == "operand":
        step["from"] = {"operand": extra}
        ns[dst] = set(sc.operand(extra))
    elif source == "copy":
        step["from"] = {"copy": extra}
        ns[dst] = ns[extra].copy()
    elif source == "frozenset":
        step["from"] = {"frozenset": extra}
        ns[dst] = frozenset(ns[extra])
    else:
        raise ValueError(source)
    step["out"] = [enc(x) for x in ns[dst]]
    sc.steps.append(step)


def iterconst(sc, dst, values):
    for v in values:
        if name_like(v):
            sys.intern(v)
    src = "[x for x in {" + ", ".join(literal(v) for v in values) + "}]"
    out = eval(src)
    sc.steps.append({"op": "iterconst", "dst": dst, "values": [enc(v) for v in values],
                     "rebuilds": 1 + any(map(name_like, values)), "out": [enc(x) for x in out]})


def mutate(sc, op, dst, key=None):
    s = sc.ns[dst]
    step = {"op": op, "dst": dst}
    if key is not None:
        step["key"] = enc(key)
    if op == "add":
        sc.step(step, lambda: s.add(key))
    elif op == "discard":
        sc.step(step, lambda: s.discard(key))
    elif op == "remove":
        sc.step(step, lambda: s.remove(key))
    elif op == "pop":
        sc.step(step, lambda: enc(s.pop()))
    elif op == "clear":
        sc.step(step, lambda: s.clear())
    else:
        raise ValueError(op)


BINOPS = {"|": lambda x, y: x | y, "&": lambda x, y: x & y, "-": lambda x, y: x - y, "^": lambda x, y: x ^ y}


def binop(sc, op, dst, lhs, rhs):
    def body():
        sc.ns[dst] = BINOPS[op](sc.ns[lhs], sc.operand(rhs))
    sc.step({"op": "binop", "name": op, "dst": dst, "lhs": lhs, "rhs": rhs}, body)


def method(sc, name, dst, lhs, args):
    def body():
        sc.ns[dst] = getattr(sc.ns[lhs], name)(*[sc.operand(a) for a in args])
    sc.step({"op": "method", "name": name, "dst": dst, "lhs": lhs, "args": args}, body)


def inplace(sc, name, dst, args):
    def body():
        x = sc.ns[dst]
        ops = [sc.operand(a) for a in args]
        if name == "|=":
            x |= ops[0]
        elif name == "&=":
            x &= ops[0]
        elif name == "-=":
            x -= ops[0]
        elif name == "^=":
            x ^= ops[0]
        else:
            getattr(x, name)(*ops)
        assert x is sc.ns[dst]
    sc.step({"op": "inplace", "name": name, "dst": dst, "args": args}, body)


def weyl(n):
    """n ints spread over [-2**61, 2**61): a sequence the replay recomputes."""
    return [(((k + 1) * 11400714819323198485) & MASK64) // 4 - 2**61 for k in range(n)]


def big(sc, dst, n):
    values = weyl(n)
    sc.ns[dst] = set(values)
    order = list(sc.ns[dst])
    sig = 0
    for x in order:
        sig = (sig * 1000003 + (x & MASK64)) & MASK64
    sc.steps.append({"op": "big", "dst": dst, "from": {"weyl": n},
                     "out": {"n": len(order), "head": order[:50], "sig": str(sig)}})


# ---------------------------------------------------------------- random scenarios

def random_scenario(r, index):
    kind = KINDS[index % len(KINDS)]
    sc = Scenario(f"random-{index}-{kind}")
    universe = pool(r, kind)
    scale = r.choice([3, 5, 8, 12, 20, 30, 45])

    def values(n=None):
        n = r.randrange(0, scale + 1) if n is None else n
        return [r.choice(universe) for _ in range(n)]

    def operand(receiver, allow_iterables=True):
        kinds = ["var", "var", "set"] + (["dict", "list", "list"] if allow_iterables else [])
        k = r.choice(kinds)
        if k == "var":
            return make_operand("var", None, r.choice(["a", "b", "c", receiver]))
        return make_operand(k, values())

    # A variable may hold a frozenset (made by 'frozenset', or an operator on
    # one): it is never mutated, nor copied or frozen again, which would alias
    # it (frozenset.copy() and frozenset(f) return f itself).
    def mutable(v):
        return not isinstance(sc.ns[v], frozenset)

    for dst in ["a", "b"]:
        source = r.choice(["list", "display", "comp", "const", "list"])
        vs = values()
        if source == "const" and not all(literal_ok(v) for v in vs):
            source = "list"
        new(sc, dst, source, vs)
    for _ in range(r.randrange(4, 16)):
        dst = r.choice(["a", "b", "c"])
        choice = r.random()
        if choice < 0.12:
            source = r.choice(["empty", "list", "range", "display", "const", "comp", "star", "operand", "copy",
                               "frozenset", "list"])
            vs = values()
            extra = None
            if source == "const" and not all(literal_ok(v) for v in vs):
                source = "list"
            if source == "range":
                extra = [r.randrange(-20, 20), r.randrange(-20, 200), r.choice([1, 2, 3, 7, 8, 16, -1])]
            elif source == "star":
                extra = []
                for _ in range(r.randrange(1, 6)):
                    if r.random() < 0.4:
                        extra.append(("star", operand(dst)))
                    else:
                        extra.append(("item", r.choice(universe)))
                if not any(p[0] == "star" for p in extra):
                    extra.append(("star", operand(dst)))
            elif source == "operand":
                extra = operand(dst)
            elif source in ("copy", "frozenset"):
                extra = r.choice(["a", "b", "c"])
                if not mutable(extra):
                    source, extra = "list", None
            new(sc, dst, source, vs, extra)
        elif choice < 0.14:
            vs = [v for v in values() if literal_ok(v)]
            if vs:
                iterconst(sc, dst, vs)
        elif choice < 0.45 and mutable(dst):
            op = r.choice(["add", "add", "add", "discard", "discard", "remove", "pop", "pop", "clear"])
            if op == "clear" and r.random() < 0.5:
                op = "pop"
            if op in ("add", "discard", "remove"):
                n = r.choice([1, 1, 1, 3, 8])
                for _ in range(n):
                    key = r.choice(universe) if op == "add" or r.random() < 0.3 or not sc.ns[dst] \
                        else r.choice(list(sc.ns[dst]))
                    mutate(sc, op, dst, key)
            else:
                for _ in range(r.choice([1, 1, 2, 5])):
                    mutate(sc, op, dst)
        elif choice < 0.65:
            lhs = r.choice(["a", "b", "c"])
            binop(sc, r.choice(list(BINOPS)), dst, lhs, operand(lhs, allow_iterables=False))
        elif choice < 0.8:
            lhs = r.choice(["a", "b", "c"])
            name = r.choice(["union", "intersection", "difference", "symmetric_difference", "copy"])
            if name == "copy" and not mutable(lhs):
                name = "union"
            if name == "symmetric_difference":
                args = [operand(lhs)]
            elif name == "copy":
                args = []
            else:
                args = [operand(lhs) for _ in range(r.choice([0, 1, 1, 1, 2, 3]))]
            method(sc, name, dst, lhs, args)
        elif mutable(dst):
            name = r.choice(["|=", "&=", "-=", "^=", "update", "intersection_update", "difference_update",
                             "symmetric_difference_update"])
            if name.endswith("="):
                args = [operand(dst, allow_iterables=False)]
            elif name == "symmetric_difference_update":
                args = [operand(dst)]
            else:
                args = [operand(dst) for _ in range(r.choice([0, 1, 1, 1, 2, 3]))]
            inplace(sc, name, dst, args)
    return sc


# ---------------------------------------------------------------- hand-picked scenarios

def handpicked():
    out = []

    def scenario(name):
        sc = Scenario(name)
        out.append(sc)
        return sc

    # Insertion order versus table order.
    sc = scenario("display-vs-list")
    new(sc, "a", "display", [5, 100, 37])
    new(sc, "b", "list", [3, 1, 2])
    new(sc, "c", "const", [5, 100, 37])
    iterconst(sc, "c", [3, 1, 2])

    # Growth: every resize of a set built one add at a time, and back down.
    for name, keys in [("grow-ints", list(range(0, 200, 3))), ("grow-strides", [k * 8 for k in range(120)]),
                       ("grow-collide", [k * 1024 for k in range(100)]),
                       ("grow-modulus", [k * MODULUS + j for k in range(-3, 4) for j in range(9)]),
                       ("grow-negative", [-k for k in range(80)]),
                       ("grow-strs", [f"s{k}" for k in range(90)])]:
        sc = scenario(name)
        new(sc, "a", "empty")
        for k in keys:
            mutate(sc, "add", "a", k)
        for k in keys[::2]:
            mutate(sc, "discard", "a", k)
        for k in keys[:10]:
            mutate(sc, "add", "a", k)
        mutate(sc, "pop", "a")
        method(sc, "copy", "b", "a", [])
        inplace(sc, "difference_update", "a", [make_operand("list", keys[1::2][:len(keys) // 3])])
        for _ in range(len(keys)):
            mutate(sc, "pop", "a")

    # Dummies: freeslot reuse (the last dummy on the probe path), and fill
    # counting dummies towards the resize.
    sc = scenario("dummies")
    new(sc, "a", "range", extra=(5, 25))
    for k in range(5, 25):
        mutate(sc, "discard", "a", k)
    for k in (0, 128, 256, 384):
        mutate(sc, "add", "a", k)
    mutate(sc, "discard", "a", 0)
    mutate(sc, "discard", "a", 256)
    mutate(sc, "add", "a", 512)
    mutate(sc, "add", "a", 0)
    sc = scenario("dummies-small")
    new(sc, "a", "list", [1, 9, 17, 25])
    for k in (1, 9, 17):
        mutate(sc, "discard", "a", k)
    for k in (33, 41, 2, 3, 4, 49):
        mutate(sc, "add", "a", k)
    sc = scenario("churn")
    new(sc, "a", "empty")
    for k in range(40):
        mutate(sc, "add", "a", k * 8)
        mutate(sc, "discard", "a", (k - 2) * 8)

    # pop: the finger survives clear() and in-place intersection.
    sc = scenario("pop-finger")
    new(sc, "a", "range", extra=(0, 6))
    mutate(sc, "pop", "a")
    mutate(sc, "pop", "a")
    mutate(sc, "clear", "a")
    for k in (1, 2, 3, 4):
        mutate(sc, "add", "a", k)
    mutate(sc, "pop", "a")
    mutate(sc, "pop", "a")
    new(sc, "b", "range", extra=(0, 40))
    for _ in range(7):
        mutate(sc, "pop", "b")
    inplace(sc, "&=", "b", [make_operand("set", list(range(0, 40, 2)))])
    mutate(sc, "pop", "b")
    inplace(sc, "intersection_update", "b", [])
    mutate(sc, "pop", "b")
    mutate(sc, "pop", "b")
    new(sc, "c", "empty")
    mutate(sc, "pop", "c")
    mutate(sc, "remove", "c", 5)

    # Copies: same mask and no dummies copies slots; otherwise reinsertion.
    sc = scenario("copies")
    new(sc, "a", "list", [7, 15, 23, 31])
    method(sc, "copy", "b", "a", [])
    mutate(sc, "discard", "a", 7)
    method(sc, "copy", "b", "a", [])
    new(sc, "a", "list", [k * 32 for k in range(6)])
    method(sc, "copy", "b", "a", [])
    new(sc, "c", "operand", extra=make_operand("var", None, "a"))
    new(sc, "a", "list", list(range(100, 0, -7)) + [k * 64 for k in range(30)])
    method(sc, "copy", "b", "a", [])
    new(sc, "c", "frozenset", extra="a")

    # set_merge into non-empty sets and its pre-resize; identity short-cuts.
    sc = scenario("merge")
    new(sc, "a", "list", [1, 2, 3])
    new(sc, "b", "list", list(range(10, 30)))
    inplace(sc, "|=", "a", [make_operand("var", None, "b")])
    inplace(sc, "|=", "a", [make_operand("var", None, "a")])
    binop(sc, "|", "c", "a", make_operand("var", None, "a"))
    method(sc, "union", "c", "a", [make_operand("var", None, "a"), make_operand("dict", [99, 98, 97, 1.0])])
    inplace(sc, "update", "a", [make_operand("dict", [k * 16 for k in range(20)]), make_operand("var", None, "a")])

    # Intersection: the smaller set is iterated and its keys are kept.
    sc = scenario("intersection-keys")
    new(sc, "a", "list", [1, 2.0, True, 3, (1, 2)])
    new(sc, "b", "list", [1.0, 2, 3.0, 4, 5, 6, (1.0, 2)])
    binop(sc, "&", "c", "a", make_operand("var", None, "b"))
    binop(sc, "&", "c", "b", make_operand("var", None, "a"))
    method(sc, "intersection", "c", "a", [make_operand("list", [3.0, 2, 1.0, 7])])
    method(sc, "intersection", "c", "a", [make_operand("var", None, "a")])
    method(sc, "intersection", "c", "a", [make_operand("var", None, "b"), make_operand("var", None, "a")])
    inplace(sc, "&=", "a", [make_operand("var", None, "a")])

    # Difference: copy-then-discard when len(so) >> 2 > len(other), else build.
    sc = scenario("difference-strategies")
    new(sc, "a", "range", extra=(0, 64))
    binop(sc, "-", "b", "a", make_operand("set", [1, 2, 3]))
    binop(sc, "-", "b", "a", make_operand("set", list(range(0, 64, 3))))
    method(sc, "difference", "b", "a", [make_operand("dict", [5, 6])])
    method(sc, "difference", "b", "a", [make_operand("dict", list(range(0, 64, 2)))])
    method(sc, "difference", "b", "a", [make_operand("list", [5, 6])])
    method(sc, "difference", "c", "a", [make_operand("var", None, "a")])
    method(sc, "difference", "c", "a", [make_operand("set", [1]), make_operand("var", None, "a")])
    inplace(sc, "-=", "a", [make_operand("set", list(range(0, 64, 2)))])
    inplace(sc, "difference_update", "a", [make_operand("set", list(range(1000)))])
    inplace(sc, "-=", "a", [make_operand("var", None, "a")])

    # Symmetric difference builds from the other operand.
    sc = scenario("symmetric-difference")
    new(sc, "a", "list", [1, 2, 3, 4, 5])
    new(sc, "b", "list", [4, 5, 6, 7, 8.0, 1024])
    binop(sc, "^", "c", "a", make_operand("var", None, "b"))
    binop(sc, "^", "c", "b", make_operand("var", None, "a"))
    binop(sc, "^", "c", "a", make_operand("var", None, "a"))
    mutate(sc, "add", "c", 9)
    method(sc, "symmetric_difference", "c", "a", [make_operand("dict", [5, 1.0, 40, 41])])
    inplace(sc, "symmetric_difference_update", "a", [make_operand("list", [5, 5, 6, 40])])
    inplace(sc, "^=", "a", [make_operand("var", None, "a")])

    # Equal keys of different types: the first one stays.
    sc = scenario("bool-int-float")
    new(sc, "a", "display", [True, 1, 1.0, False, 0, 0.0, -0.0, 2.0, 2])
    new(sc, "b", "display", [1.0, True, 0.0, 2])
    new(sc, "c", "const", [1.0, True, 0.0, 2, -0.0])
    mutate(sc, "discard", "a", 1.0)
    mutate(sc, "add", "a", True)
    binop(sc, "|", "c", "b", make_operand("set", [1, 0, 2.0, 3]))

    # Star displays go through SET_UPDATE.
    sc = scenario("star-displays")
    new(sc, "a", "list", list(range(20)))
    new(sc, "b", "star", extra=[("star", make_operand("var", None, "a"))])
    new(sc, "b", "star", extra=[("item", 100), ("star", make_operand("var", None, "a")), ("item", 50)])
    new(sc, "c", "star", extra=[("star", make_operand("dict", [k * 8 for k in range(12)]))])
    new(sc, "c", "star", extra=[("item", 1), ("star", make_operand("list", [9, 17])), ("item", 25)])

    # Constant displays: more than two literals become a frozenset constant.
    sc = scenario("constant-displays")
    for vs in [[1, 2], [2, 1], [3, 1, 2], list(range(19, 0, -1)), [k * 8 for k in range(19)],
               [k * 8 for k in range(30)], ["x y", "a b", "c-d"], ["apple", "banana", "cherry"],
               [(1, 2), (3, 4), (), 0.5, -1e999]]:
        new(sc, "a", "const", vs)
        iterconst(sc, "a", vs)

    # Numbers that collide modulo 2**61 - 1 and the -1 hash.
    sc = scenario("hash-collisions")
    new(sc, "a", "list", [0, MODULUS, -MODULUS, 2 * MODULUS, -1, -2, 1, MODULUS + 1, 2.0**61, float(MODULUS)])
    mutate(sc, "discard", "a", -2)
    mutate(sc, "add", "a", -2)
    mutate(sc, "discard", "a", 0)
    mutate(sc, "add", "a", 0.0)

    # Large sets (the >50000 rule of the resize); order checked by a checksum.
    for n in (1000, 12500, 50001, 60000):
        sc = scenario(f"big-{n}")
        big(sc, "a", n)
    return out


# ---------------------------------------------------------------- hashes

def hash_goldens(r):
    strs = ["", "a", "b", "ab", "abc", "hello", "hello world", "x" * 7, "x" * 8, "x" * 9, "x" * 15, "x" * 16,
            "x" * 17, "é", "ÿ", "Ā", "€", "中文", "\uffff", "😀", "\U0010ffff", "a😀", "é€", "e\u0301", "\u00e9",
            "\x00", "\x00\x00", "\t\n", "print", "__init__"]
    ranges = [(0x20, 0x7f), (0x80, 0x100), (0x100, 0x800), (0x800, 0xd800), (0xe000, 0x10000), (0x10000, 0x110000)]
    for _ in range(600):
        n = r.choice([1, 2, 3, 5, 7, 8, 9, 12, 15, 16, 17, 24, 31, 33, 64, 100])
        lo, hi = r.choice(ranges)
        mix = r.random() < 0.3
        chars = []
        for _ in range(n):
            a, b = r.choice(ranges) if mix else (lo, hi)
            chars.append(chr(r.randrange(a, b)))
        strs.append("".join(chars))
    out = {"str": [[s, hash(s)] for s in strs]}
    bs = [b"", b"a", b"abc", bytes(range(256)), b"\xff" * 9]
    bs += [bytes(r.randrange(256) for _ in range(r.randrange(1, 40))) for _ in range(40)]
    out["bytes"] = [[b.hex(), hash(b)] for b in bs]
    atoms = [0, 1, -1, -2, 2**61 - 1, 2**62, -(2**62), True, False, 0.5, -0.0, 1e300, math.inf, -math.inf,
             "", "a", "hello", "é", "😀"]

    def tup(depth):
        return tuple(r.choice(atoms) if depth == 0 or r.random() < 0.7 else tup(depth - 1)
                     for _ in range(r.randrange(0, 6)))
    tuples = [(), (1,), (1, 2), (2, 1), ((),), ((), ()), (1, (2, (3,))), (-1,), (-2,), (True, 1.0)]
    tuples += [tup(3) for _ in range(300)]
    out["tuple"] = [[enc(t), hash(t)] for t in tuples]
    sets = [[], [1], [1, 2], [-1], [0], ["a", "b"], [(), (1,)], list(range(100)), [0.5, 1.5]]
    for _ in range(100):
        sets.append([r.choice(atoms + [r.randrange(-1000, 1000), r.choice(LETTERS)]) for _ in range(r.randrange(0, 12))])
    out["frozenset"] = [[[enc(v) for v in frozenset(s)], hash(frozenset(s))] for s in sets]
    return out


def main():
    r = random.Random(20240611)
    scenarios = [sc.json() for sc in handpicked()]
    scenarios += [random_scenario(r, i).json() for i in range(600)]
    doc = {
        "python": sys.version.split()[0],
        "hashseed": os.environ["PYTHONHASHSEED"],
        "hashes": hash_goldens(random.Random(7)),
        "scenarios": scenarios,
    }
    os.makedirs(ROOT, exist_ok=True)
    path = os.path.join(ROOT, "setorder.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=None, separators=(",", ":"))
        f.write("\n")
    steps = sum(len(s["steps"]) for s in scenarios)
    nh = sum(len(v) for v in doc["hashes"].values())
    print(f"{path}: {len(scenarios)} scenarios, {steps} steps, {nh} hashes")


if __name__ == "__main__":
    main()
