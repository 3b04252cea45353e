#!/usr/bin/env python3
"""Writes the CPython goldens of Sources/ModelScript/Library into fixtures/python-lib/.

    python3 tools/make_lib_goldens.py          # needs CPython 3.11, nothing else

Four files, each a JSON object whose cases the Swift suites replay:

- random.json: per seed, a script of `random.Random` calls in order with what
  each returned (floats as repr, ints as decimal strings, big ints as hex) or
  the exception it raised. Populations are range(n), so outputs are indices.
- format.json: `format(value, spec)` for int, float, str and bool values.
- percent.json: `fmt % args`, each argument described by what the
  interpreter would hand the library (type name, str, repr, int, float).
- format_string.json: `_string.formatter_parser` / `formatter_field_name_split`
  structures, and `str.format(*args, **kwargs)` renderings with their errors.

Every case is either {"out": ...} or {"error": [exception type, message]}.
The choice of cases is seeded, so the files are reproducible.
"""

import _string
import itertools
import json
import math
import os
import random
import sys

if sys.version_info[:2] != (3, 11):
    sys.exit(f"needs CPython 3.11 (its messages are the goldens), not {sys.version.split()[0]}")

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "python-lib")


def outcome(fn):
    try:
        return {"out": fn()}
    except Exception as e:  # noqa: BLE001 -- the exception is the golden
        return {"error": [type(e).__name__, str(e)]}


def write(name, doc):
    os.makedirs(ROOT, exist_ok=True)
    path = os.path.join(ROOT, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"{path}: {count_cases(doc)} cases")


def count_cases(doc):
    return sum(len(v) if isinstance(v, list) else 0 for v in doc.values())


# ---------------------------------------------------------------- random

def fl(x):
    return repr(x)


def random_script(r, rng):
    """Calls on one generator, in order; rng only picks the arguments."""
    ops = []

    def op(name, call, encode=lambda v: v, **args):
        result = outcome(lambda: encode(call()))
        ops.append({"op": name, **args, **result})

    op("random", lambda: [fl(r.random()) for _ in range(8)])
    for k in [0, 1, 2, 5, 8, 16, 31, 32, 33, 48, 53, 63, 64, 65, 96, 100, 128, 1000, -1]:
        op("getrandbits", lambda: hex(r.getrandbits(k)), k=k)
    for n in [1, 2, 3, 5, 7, 10, 100, 1000, 2**31, 2**32, 2**32 + 1, 2**53 + 7, 2**62 + 3, 2**63 - 1, 2**63, 2**64 - 1]:
        op("randbelow", lambda: str(r._randbelow(n)), n=str(n))
    ranges = [
        (10,), (1,), (0,), (-5,), (5, 5), (5, 4), (3, 10), (-10, 10), (0, 100, 7), (100, 0, -7), (10, 0, -1),
        (0, 10, 0), (0, 10, -1), (10, 0, 1), (0, 1, 2), (-3, 3, 2), (5, 6, 10), (-(2**62), 2**62), (0, 2**62),
        (2**62, 2**62 + 10), (-(2**63), 2**63 - 1), (-(2**63), 2**63 - 1, 3), (2**63 - 1, -(2**63), -5),
        (2**62, -(2**63)), (-(2**63), 2**63 - 1, 2**63 - 1), (7, 7, -1), (0, -(2**63), -(2**62)),
    ]
    for args in ranges:
        op("randrange", lambda: str(r.randrange(*args)), args=[str(a) for a in args])
    op("randrange", lambda: str(r.randrange(10, None, 2)), args=["10"], step="2")
    for a, b in [(1, 6), (0, 0), (-3, 3), (5, 4), (0, 2**62), (-(2**63), 2**63 - 1), (2**63 - 2, 2**63 - 1), (10, 1)]:
        op("randint", lambda: str(r.randint(a, b)), args=[str(a), str(b)])
    for n in [1, 2, 10, 1000, 0]:
        op("choice", lambda: r.choice(range(n)), n=n)
    for n in [0, 1, 2, 5, 20, 100]:
        def shuffled():
            xs = list(range(n))
            r.shuffle(xs)
            return xs
        op("shuffle", shuffled, n=n)
    for n, k in [(10, 3), (10, 10), (10, 0), (5, 6), (5, -1), (21, 5), (22, 5), (26, 6), (100, 6), (100, 50),
                 (1000, 10), (1000, 100), (100000, 20), (30, 20), (2**40, 5), (85, 6), (86, 6)]:
        op("sample", lambda: r.sample(range(n), k), n=n, k=k)
    for counts, k in [([1, 2, 3], 4), ([0, 5], 3), ([2, 2], 5), ([1, 1], 0)]:
        op("sample", lambda: r.sample(range(len(counts)), k, counts=counts), n=len(counts), k=k, counts=counts)
    op("sample", lambda: r.sample(range(2), 1, counts=[1]), n=2, k=1, counts=[1])
    op("sample", lambda: r.sample(range(2), 1, counts=[0, 0]), n=2, k=1, counts=[0, 0])
    choice_cases = [
        (5, 10, None, None), (1, 3, None, None), (3, 0, None, None), (7, 20, None, None),
        (3, 10, [1, 2, 3], None), (3, 10, None, [1, 3, 6]), (4, 12, [0.1, 0.2, 0.3, 0.4], None),
        (4, 12, [0, 0, 1, 0], None), (3, 5, [1, 2], None), (3, 5, [0, 0, 0], None), (2, 5, [1, float("inf")], None),
        (3, 5, [1, 2, 3], [1, 3, 6]), (0, 0, [], None), (1, 4, [2.5], None), (3, 6, [-1, 1, 1], None),
    ]
    for n, k, weights, cum in choice_cases:
        op("choices", lambda: r.choices(range(n), weights, cum_weights=cum, k=k), n=n, k=k,
           weights=None if weights is None else [fl(float(w)) for w in weights],
           cum_weights=None if cum is None else [fl(float(w)) for w in cum])
    for a, b in [(0.0, 1.0), (-5.0, 5.0), (10.0, 2.0), (1e300, -1e300), (3.0, 3.0)]:
        op("uniform", lambda: fl(r.uniform(a, b)), a=fl(a), b=fl(b))
    for mu, sigma in [(0.0, 1.0), (0.0, 1.0), (0.0, 1.0), (10.0, 2.5), (-3.0, 0.0)]:
        op("gauss", lambda: fl(r.gauss(mu, sigma)), mu=fl(mu), sigma=fl(sigma))
    for mu, sigma in [(0.0, 1.0), (5.0, 0.1), (0.0, 1.0)]:
        op("normalvariate", lambda: fl(r.normalvariate(mu, sigma)), mu=fl(mu), sigma=fl(sigma))
        op("lognormvariate", lambda: fl(r.lognormvariate(mu, sigma)), mu=fl(mu), sigma=fl(sigma))
    for lambd in [1.0, 0.5, 10.0, -2.0, 0.0]:
        op("expovariate", lambda: fl(r.expovariate(lambd)), lambd=fl(lambd))
    for low, high, mode in [(0.0, 1.0, None), (0.0, 10.0, 2.0), (5.0, 5.0, None), (1.0, 3.0, 3.0), (3.0, 1.0, 2.0), (2.0, 2.0, 2.0)]:
        op("triangular", lambda: fl(r.triangular(low, high, mode)), low=fl(low), high=fl(high),
           mode=None if mode is None else fl(mode))
    for alpha, beta in [(0.5, 1.0), (1.0, 2.0), (2.5, 0.5), (9.0, 2.0), (0.0, 1.0), (1.0, -1.0), (0.1, 3.0)]:
        op("gammavariate", lambda: fl(r.gammavariate(alpha, beta)), alpha=fl(alpha), beta=fl(beta))
    for alpha, beta in [(2.0, 5.0), (0.5, 0.5), (1.0, 1.0), (0.01, 0.01)]:
        op("betavariate", lambda: fl(r.betavariate(alpha, beta)), alpha=fl(alpha), beta=fl(beta))
    for mu, kappa in [(0.0, 1.0), (1.0, 0.0), (3.0, 50.0), (-2.0, 4.0)]:
        op("vonmisesvariate", lambda: fl(r.vonmisesvariate(mu, kappa)), mu=fl(mu), kappa=fl(kappa))
    for alpha in [1.0, 3.0, 0.5]:
        op("paretovariate", lambda: fl(r.paretovariate(alpha)), alpha=fl(alpha))
    for alpha, beta in [(1.0, 1.0), (2.0, 0.5), (0.5, 3.0)]:
        op("weibullvariate", lambda: fl(r.weibullvariate(alpha, beta)), alpha=fl(alpha), beta=fl(beta))
    # gauss keeps its second value across calls; seed() forgets it.
    op("gauss", lambda: fl(r.gauss(0.0, 1.0)), mu=fl(0.0), sigma=fl(1.0))
    r.seed(99)
    ops.append({"op": "seed", "int": "99"})
    op("gauss", lambda: fl(r.gauss(0.0, 1.0)), mu=fl(0.0), sigma=fl(1.0))
    op("random", lambda: [fl(r.random()) for _ in range(3)])
    # A long run, past several state regenerations (624 words each).
    op("random", lambda: [fl(r.random()) for _ in range(700)])
    for _ in range(40):
        n = rng.choice([3, 17, 1000, 2**20, 10**9, 2**33 + 1])
        op("randbelow", lambda: str(r._randbelow(n)), n=str(n))
    return ops


def random_goldens():
    rng = random.Random(20240611)
    cases = []
    int_seeds = [0, 1, 42, 2**32 + 5, -7, 123456789012345, 2**63 - 1, -(2**63), 2**64 - 1, 2**100 + 12345, -(2**64), 3**200]
    for seed in int_seeds:
        r = random.Random(seed)
        cases.append({"seed": {"int": hex(seed)}, "ops": random_script(r, rng)})
    for seed in [1.5, -2.25, 0.1, 1e300, -1e-300, float("inf"), float("-inf"), -0.0, 3.0, 2.0**70, 5e-324, -1.0]:
        r = random.Random(seed)
        cases.append({"seed": {"float": fl(seed)}, "ops": random_script(r, rng)[:3]})
    for seed in ["hello", "", "héllo 🙂", "a" * 300, "\x00", "12345"]:
        r = random.Random(seed)
        cases.append({"seed": {"str": seed}, "ops": random_script(r, rng)[:3]})
    write("random.json", {"seeds": cases})


# ---------------------------------------------------------------- format(value, spec)

INTS = [0, 1, -1, 7, -42, 255, 1234, -1234, 65, 1000000, 123456789, -987654321, 2**31, 2**53 + 1, 2**62,
        2**63 - 1, -(2**63), 0x10FFFF, 0x110000, 10**18, 9999, 128512]
FLOATS = [0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 2.5, -2.5, 123456.789, -123456.789, 1e16, 1e15, 1e17, 1e-5, 1e-4,
          0.0001234, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, float("inf"), float("-inf"),
          float("nan"), math.pi, 1e22, 1e100, 9.995, 0.125, 1 / 3, 2 / 3, 999999.5, 0.000999, 12345678901234567890.0,
          1e-7, 123.0, -0.001, 1234567.0, 0.3, 2.675, 1e23, 9.5, 99.99, -9.9999e-5, 4.35, 1e21]
STRS = ["", "a", "abc", "hello world", "héllo", "日本語", "🙂x", "a\u0301", "tab\tx", "0123456789abcdef", "{}", "-5"]
BOOLS = [True, False]

ALIGNS = ["", "", "", "<", ">", "^", "=", "*<", "*>", "0=", "x^", "0<", " >", "{^", "é>"]
SIGNS = ["", "", "+", "-", " "]
TYPES_BY_KIND = {
    "int": ["", "d", "b", "o", "x", "X", "n", "c", "e", "E", "f", "F", "g", "G", "%", "s"],
    "float": ["", "e", "E", "f", "F", "g", "G", "n", "%", "d", "s", "x"],
    "str": ["", "s", "d", "f"],
    "bool": ["", "d", "x", "f", "s", "c"],
}
WIDTHS = ["", "", "1", "5", "8", "12", "20", "0"]
PRECISIONS = ["", "", ".0", ".1", ".2", ".3", ".6", ".10", ".17", ".25"]


def random_spec(rng, kind):
    parts = [
        rng.choice(ALIGNS),
        rng.choice(SIGNS),
        "z" if rng.random() < 0.12 else "",
        "#" if rng.random() < 0.25 else "",
        "0" if rng.random() < 0.2 else "",
        rng.choice(WIDTHS),
        rng.choice(["", "", "", ",", "_"]),
        rng.choice(PRECISIONS),
        rng.choice(TYPES_BY_KIND[kind]),
    ]
    spec = "".join(parts)
    if rng.random() < 0.03:  # junk: an extra or wrong character somewhere
        i = rng.randrange(len(spec) + 1)
        spec = spec[:i] + rng.choice("x,_.#+z!{}?9") + spec[i:]
    return spec


CURATED_SPECS = [
    "", "d", "5", "<5", ">5", "^5", "=5", "05", "+", "-", " ", "+05", "z", "z.1f", "#", "#b", "#o", "#x", "#X",
    ",", "_", "_b", "_x", ",d", "010,", "012_", "08,", "09,d", "+010,.2f", ".2f", ".0f", ".1e", ".3g", "#.3g",
    "#g", "g", "e", "E", "f", "F", "G", "%", ".1%", "n", ".3n", "c", ".3", "#.0", ".0", ".17", ".20f", "*^10",
    "x<7", "0<7", "=+8", "^+9.3", "s", ">10s", ".2s", "^7.3s", "abc", ".", ",_", "_,", "y", "=", "#5x",
    "+#010x", " 010,d", "z+08.3f", "-^9", ",x", ",b", "_n", ",c", "_c", ",s", "#s", "+s", " s", "zs", "=s",
    "zd", "z#x", ".2d", "#c", "+c", "100", "\u0661\u0662", ".\u0663f", "99999999999999999999", ".99999999999999999999",
    ".50f", ".400e", ".330f", "#.0e", "#.0f", "#.0%", "z.0f", "z%", "\x00^9", "\u00e9<4", "^^7", "==7", "0^7", "0>+7,",
    "<020_", "#020_b", "#X", "#_X", "#012_o", "0=#15_x", ".0%", "e", ".2147483648f", ",,", ",,d", "0,,", "_,d", "_,",
]


def value_repr(kind, v):
    if kind == "int":
        return str(v)
    if kind == "float":
        return repr(v)
    if kind == "bool":
        return "True" if v else "False"
    return v


def format_goldens():
    rng = random.Random(1311)
    cases = []
    seen = set()

    def add(kind, value, spec):
        key = (kind, value_repr(kind, value), spec)
        if key in seen:
            return
        seen.add(key)
        result = outcome(lambda: format(value, spec))
        cases.append([kind, value_repr(kind, value), spec, result.get("out", None), result.get("error", None)])

    pools = {"int": INTS, "float": FLOATS, "str": STRS, "bool": BOOLS}
    for kind, values in pools.items():
        for spec in CURATED_SPECS:
            for v in values:
                add(kind, v, spec)
    per_kind = {"int": 1500, "float": 2200, "str": 700, "bool": 200}  # keeps format.json under 2 MB
    for kind, count in per_kind.items():
        values = pools[kind]
        for _ in range(count):
            spec = random_spec(rng, kind)
            for v in rng.sample(values, min(3, len(values))):
                add(kind, v, spec)
    # Specs of random characters from the mini-language's alphabet.
    for _ in range(1500):
        kind = rng.choice(["int", "int", "float", "str", "bool"])
        spec = "".join(rng.choice("<>=^+- z#0123456789,_.bcdeEfFgGnosxX%é{") for _ in range(rng.randrange(1, 8)))
        add(kind, rng.choice(pools[kind]), spec)
    # Floats with many digits, correctly rounded: random doubles in every binade.
    for _ in range(1500):
        x = rng.choice([rng.random(), rng.uniform(-1e6, 1e6), math.ldexp(rng.random(), rng.randrange(-1074, 1024)),
                        float(rng.randrange(-10**6, 10**6)) / 8, rng.choice(FLOATS) * rng.choice([1, 10, 1e-10, 3])])
        spec = rng.choice(["", "r", ".3", ".12", ".17", "g", ".1g", ".15g", ".17g", "e", ".0e", ".16e", ".25e",
                           "f", ".0f", ".2f", ".12f", "%", ".30f", "#.5g", ",.4f", "_.2e", "015.7"])
        if spec == "r":
            spec = ""
        add("float", x, spec)
    write("format.json", {"cases": cases})


# ---------------------------------------------------------------- fmt % args

def describe(v):
    """What the interpreter hands the library for one argument."""
    d = {"type": type(v).__name__, "str": str(v), "repr": repr(v)}
    if isinstance(v, int):
        d["int"] = str(int(v))
    if isinstance(v, (int, float)):
        d["float"] = repr(float(v))
    if isinstance(v, str):
        d["string"] = v
    return d


PCT_VALUES = [0, 1, -1, 42, -42, 255, 123456789, 2**63 - 1, -(2**63), True, False, 0.0, -0.0, 1.5, -2.5, 0.1, 3.14159,
              1e16, 1e-5, 123456.789, 1e300, float("inf"), float("-inf"), float("nan"), 2.5, "abc", "", "héllo",
              "x", "日", None, [1, 2], (1,), 65, 0x10FFFF, 0x110000, -3.7, 3.9999, 1e20]


def percent_goldens():
    rng = random.Random(377)
    cases = []

    def add(fmt, args):
        if isinstance(args, tuple):
            encoded = {"tuple": [describe(a) for a in args]}
        elif isinstance(args, dict):
            encoded = {"mapping": {k: describe(v) for k, v in args.items()}, "self": describe(args)}
        else:
            encoded = {"single": describe(args)}
        result = outcome(lambda: fmt % args)
        cases.append({"format": fmt, "args": encoded, **result})

    convs = "diouxXeEfFgGcrsa"
    for _ in range(1400):
        conv = rng.choice(convs)
        flags = "".join(rng.sample("-+ #0", rng.choice([0, 0, 1, 1, 2, 3])))
        width = rng.choice(["", "", "1", "5", "12", "*"])
        prec = rng.choice(["", "", ".0", ".2", ".7", ".*", ".12", "."])
        length = rng.choice(["", "", "", "", "l", "h", "L"])
        fmt = rng.choice(["", "", "x=", "[", "%% "]) + "%" + flags + width + prec + length + conv + rng.choice(["", "", "]", " %%"])
        value = rng.choice(PCT_VALUES)
        args = []
        if width == "*":
            args.append(rng.choice([7, -7, 0, 3, "x"]) if rng.random() < 0.95 else 2.0)
        if prec == ".*":
            args.append(rng.choice([3, 0, -2, 10]))
        args.append(value)
        add(fmt, tuple(args) if len(args) > 1 or rng.random() < 0.6 else value)
    hand = [
        ("%s", ()), ("%s %s", (1,)), ("%s", (1, 2)), ("abc", ()), ("abc", 5), ("abc", "x"), ("%s", "x"), ("%%", ()),
        ("%", ()), ("%5", (1,)), ("%.", (1,)), ("%-", (1,)), ("%(a", {"a": 1}), ("%(a)s", (1,)), ("%(a)s", {"a": 1}),
        ("%(a)s %(b)d", {"a": "x", "b": 2}), ("%(a)s", {"b": 1}), ("%s", {"a": 1}), ("%(a)s %s", {"a": 1}),
        ("%(a(b))s", {"a(b)": 3}), ("%()s", {"": 4}), ("abc", {}), ("%y", (1,)), ("%\u00e9", (1,)), ("%\x01", (1,)),
        ("%5%", ()), ("%5%", (1,)), ("%*d", (5,)), ("%*d", ("a", 5)), ("%.*f", (2.0, 1.5)), ("%.*f", (2, 1.5)),
        ("%-*d|", (-6, 3)), ("%*d|", (-6, 3)), ("%c", (1.5,)), ("%c", ("ab",)), ("%c", (-1,)), ("%c", (0x110000,)),
        ("%c", (65,)), ("%c", ("é",)), ("%5c|%-5c|", (65, "z")), ("%x", (1.5,)), ("%x", ("a",)), ("%d", ("1",)),
        ("%d", (None,)), ("%f", ("a",)), ("%f", (None,)), ("%d", (float("nan"),)), ("%d", (float("inf"),)),
        ("%d", (1e20,)), ("%d", (-1e20,)), ("%i", (3.99,)), ("%u", (-3.99,)), ("%o", (8,)), ("%#o", (8,)),
        ("%#x", (255,)), ("%#X", (255,)), ("%#08x", (255,)), ("%-#8x|", (255,)), ("%+#x", (255,)), ("%+#x", (-255,)),
        ("% d", (5,)), ("%+ d", (5,)), ("%05d", (-42,)), ("%-05d|", (-42,)), ("%.5d", (-42,)), ("%8.5d", (-42,)),
        ("%#.5x", (255,)), ("%#10.5x", (255,)), ("%#010.5x", (255,)), ("%s", ([1, "a"],)), ("%r", ("a'b",)),
        ("%a", ("héllo\n",)), ("%a", ("\U0001f642",)), ("%.2a", ("é",)), ("%10.3r|", ("abcdef",)), ("%-10s|", ("ab",)),
        ("%010s|", ("ab",)), ("%+s", ("ab",)), ("%e", (0.0,)), ("%#.0e", (1.0,)), ("%#.0f", (1.0,)), ("%#g", (1.0,)),
        ("%g", (1e-5,)), ("%g", (123456789.0,)), ("%.0g", (123.0,)), ("%G", (1e-20,)), ("%F", (float("inf"),)),
        ("%E", (float("nan"),)), ("%010.2f", (-1.5,)), ("%+010.2f", (1.5,)), ("% 010.2f", (1.5,)), ("%-010.2f|", (1.5,)),
        ("%010f", (float("inf"),)), ("%.3s", (None,)), ("%s %s %s", (1, 2.5, "x")), ("%d%%", (50,)), ("%ld %hd %Ld", (1, 2, 3)),
        ("%l", (1,)), ("%(x)*d", {"x": 1}), ("%s", ((1, 2),)), ("%.100f", (0.1,)), ("%.60e", (1e-300,)),
        ("%d", (True,)), ("%x", (True,)), ("%f", (True,)), ("%s", (True,)), ("%r", (False,)), ("%c", (True,)),
    ]
    for fmt, args in hand:
        add(fmt, args)
    write("percent.json", {"cases": cases})


# ---------------------------------------------------------------- str.format

def parse_structure(fmt):
    pieces = []
    for literal, name, spec, conv in _string.formatter_parser(fmt):
        piece = {"literal": literal}
        if name is not None:
            piece["name"] = name
            piece["spec"] = spec
            piece["conversion"] = conv
            try:
                first, rest = _string.formatter_field_name_split(name)
                piece["first"] = first if isinstance(first, str) else str(first)
                piece["first_is_index"] = not isinstance(first, str)
                piece["rest"] = [[is_attr, key if isinstance(key, str) else str(key), not isinstance(key, str)]
                                 for is_attr, key in rest]
            except ValueError as e:
                piece["name_error"] = str(e)
        pieces.append(piece)
    return pieces


FORMAT_STRINGS = [
    "", "abc", "{}", "{0}", "{1}", "{}{}", "{0}{1}", "{}{1}", "{0}{}", "{x}", "{x}{}", "{}{x}{}", "{{", "}}", "{{}}",
    "a{{b}}c", "{", "}", "a}b", "a{b", "{0", "{0:", "{0!", "{0!r", "{0!r}", "{0!s:>5}", "{0!a}", "{0!x}", "{0!}", "{!r}",
    "{0!rr}", "{0!r:}", "{:}", "{:5}", "{0:{1}}", "{:{}}", "{:{}.{}f}", "{0:{1}.{2}f}", "{:{:{}}}", "{0:{1:{2}}}",
    "{0[1]}", "{0[a]}", "{0[1][0]}", "{0.real}", "{0.real.imag}", "{0.}", "{0[}", "{0[]}", "{0]}", "{0[1]x}",
    "{0[1].real}", "{a.b[c]d}", "{0[1]]}", "{0}}", "{0:}}", "{0:{{}}", "{:{}x}", "{0:x{", "{ }", "{-1}", "{00}",
    "{1a}", "{a1}", "{9999999999999999999999}", "{0[9999999999999999999999]}", "{0:{x}}", "{x[0]}", "{ {}",
    "{0{}", "{a{}", "{0!r:{1}}", "{0:%}", "{!}", "{:!}", "{0:!r}", "{0.a.b.c}", "{[0]}", "{.x}", "{0[ a ]}",
    "{0:>{1}{2}}", "x{0}y{1}z{{{2}}}", "{\u0661}", "{0[\u0661]}", "{0}{0}{0}", "{0[0]:{1[0]}}", "{{{0}}}",
    "{:{}}{}", "{0:{}}", "{:{0}}", "{0:{1}{}}", "{!s}", "{:{:}}", "{:{}{}}",
]


def format_string_goldens():
    cases = []
    for fmt in FORMAT_STRINGS:
        result = outcome(lambda: parse_structure(fmt))
        cases.append({"format": fmt, **result})
    renders = []
    arg_sets = [
        ((), {}),
        ((1, "ab", 2.5), {}),
        ((12345, 8, 3), {"x": "xv", "w": 7}),
        (([10, 20, [30, 40]], {"a": 1, "k": "v"}, "str"), {"x": [1, 2]}),
        ((-7, 0.1, "héllo"), {"a": 5}),
        ((None, True, 255), {}),
    ]
    for fmt in FORMAT_STRINGS + [
        "{0:>{1}}", "{2:{0}.{1}}", "{0:,}", "{0:b}", "{1[k]}", "{1[a]:03}", "{0[2][1]}", "{0[5]}", "{2[0]}",
        "{2[1]}", "{x[1]}", "{x}", "{w:^{w}}", "{0!r:>10}", "{2!a}", "{2!r}", "{1!s}", "{0.imag}", "{0.foo}", "{1[z]}",
        "{0[k]}", "{0:d}", "{1:d}", "{0:{w}}", "{:{w}}{}", "{2:.{0}}", "{0:{1}.{2}}{}", "{x!r:{w}}", "{x:}",
    ]:
        for args, kwargs in arg_sets:
            result = outcome(lambda: fmt.format(*args, **kwargs))
            renders.append({"format": fmt, "args": json_safe(args), "kwargs": json_safe(kwargs), **result})
    for fmt in ["{x}", "{}", "{0}", "{x[0]}", "{x:{w}}", "{x!r}", "{y}", "{x.real}", "a{{b}}"]:
        kwargs = {"x": [1, 2], "w": 5}
        result = outcome(lambda: fmt.format_map(kwargs))
        renders.append({"format": fmt, "args": None, "kwargs": json_safe(kwargs), **result})
    write("format_string.json", {"parse": cases, "render": renders})


def json_safe(v):
    """Lists and dicts as JSON; floats as {"float": repr} so they survive the trip exactly."""
    if isinstance(v, float):
        return {"float": repr(v)}
    if isinstance(v, (list, tuple)):
        return [json_safe(x) for x in v]
    if isinstance(v, dict):
        return {"dict": {k: json_safe(x) for k, x in v.items()}}
    return v


if __name__ == "__main__":
    random_goldens()
    format_goldens()
    percent_goldens()
    format_string_goldens()
