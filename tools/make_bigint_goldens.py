#!/usr/bin/env python3
"""Writes fixtures/python-lib/bigint.json: CPython 3.11's answers for its
unbounded ints, replayed by Tests/ModelScriptTests/PyIntTests.swift against
Sources/ModelScript/Library/PyInt*.swift.

    python3 tools/make_bigint_goldens.py       # needs CPython 3.11, nothing else

The file is {"python": version, "cases": [[op, args, result], ...]}:

- args are ints as decimal strings, floats as their repr, and strs (parse's
  text, format's spec) as they are;
- result is a decimal string for an int, a repr for a float, a list for
  divmod's pair, "-1"/"0"/"1"/"nan" for comparisons, or {"error": [exception
  type, message]}.

Operands come from a seeded sweep: 0, ±1, values around 2**31, 2**53, 2**63,
2**64, 2**128, the float range's ends, values built from extreme 64-bit limbs
(which reach the rare corners of long division), and random values of up to a
few thousand bits, of both signs. Ints are written without CPython's
4300-digit limit; the `str`, `parse` and `format` cases run under the default
limit, which is part of what they check.
"""

import json
import math
import os
import random
import sys

if sys.version_info[:2] != (3, 11):
    sys.exit(f"needs CPython 3.11 (its messages are the goldens), not {sys.version.split()[0]}")

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "python-lib", "bigint.json")
LIMIT = 4300  # CPython 3.11's default sys.get_int_max_str_digits()

rng = random.Random(20240611)


def text(n):
    """An int as decimal, whatever its size."""
    sys.set_int_max_str_digits(0)
    try:
        return str(n)
    finally:
        sys.set_int_max_str_digits(LIMIT)


def limited(fn):
    """fn() under the default int/str digit limit."""
    sys.set_int_max_str_digits(LIMIT)
    return fn()


def encode(v):
    if isinstance(v, bool):
        raise TypeError("no bools in results")
    if isinstance(v, int):
        return text(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, tuple):
        return [encode(x) for x in v]
    return v


def outcome(fn):
    try:
        return encode(fn())
    except (ArithmeticError, ValueError, TypeError) as e:
        return {"error": [type(e).__name__, str(e)]}


cases = []


def case(op, args, fn):
    cases.append([op, [encode(a) for a in args], outcome(fn)])


UNARY = {
    "neg": lambda a: -a,
    "abs": abs,
    "invert": lambda a: ~a,
    "bit_length": lambda a: a.bit_length(),
    "bit_count": lambda a: a.bit_count(),
    "float": float,
    "hash": hash,
    "str": lambda a: limited(lambda: str(a)),
    "hex": hex,
    "oct": oct,
    "bin": bin,
}


def unary(a, ops):
    """One case for the one-operand questions about `a`: {op: result}."""
    cases.append(["unary", [encode(a)], {op: outcome(lambda: UNARY[op](a)) for op in ops}])


# ---------------------------------------------------------------- operands

def random_bits(bits):
    if bits == 0:
        return 0
    return rng.getrandbits(bits) | (1 << (bits - 1))


def limb_pattern(count):
    """A value built from 64-bit limbs that stress carries and long division."""
    choices = [0, 1, 2**63, 2**64 - 1, 2**63 - 1, 2**32, 2**32 - 1, None]
    n = 0
    for i in range(count):
        c = rng.choice(choices)
        n |= (rng.getrandbits(64) if c is None else c) << (64 * i)
    top = rng.choice([1, 2**63, 2**64 - 1, 2**63 - 1, rng.getrandbits(64) | 1])
    return n | (top << (64 * count))


SPECIAL = [
    0, 1, 2, 3, 7, 10, 255, 256, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**32 + 1,
    2**53 - 1, 2**53, 2**53 + 1, 2**54 + 1, 2**62, 2**63 - 1, 2**63, 2**63 + 1,
    2**64 - 1, 2**64, 2**64 + 1, 2**65, 2**96, 2**127 - 1, 2**127, 2**128 - 1, 2**128, 2**128 + 1,
    10**18, 10**19, 10**19 - 1, 10**20, 10**38, 10**40, 3**39, 3**40, math.factorial(25), math.factorial(30),
    123456789 * 987654321 * 1000, 2**61 - 1, 2**61, 2 * (2**61 - 1), 2**122 - 1,
    2**1023, 2**1024 - 2**970, 2**1024 - 2**970 - 1, 2**1024 - 2**969, 2**1024 - 2**969 - 1, 2**1024,
    2**1000 + 1, 2**200 - 1, 2**256 + 2**128 + 1,
]
SPECIAL = SPECIAL + [-x for x in SPECIAL if x] + [-(2**63) - 1]

SIZES = [1, 2, 5, 17, 31, 32, 33, 52, 53, 54, 62, 63, 64, 65, 66, 96, 100, 127, 128, 129, 150, 191, 192, 193,
         255, 256, 257, 300, 383, 384, 500, 512, 640, 700, 1000, 1023, 1024, 1025, 1500, 2000, 2048, 3000, 4000]

RANDOM = []
for bits in SIZES:
    for _ in range(3 if bits <= 1024 else 1):
        RANDOM.append(random_bits(bits) * rng.choice([1, -1]))
for count in [1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8, 10, 16, 24, 40]:
    RANDOM.append(limb_pattern(count) * rng.choice([1, -1]))

POOL = SPECIAL + RANDOM
SMALLISH = [x for x in POOL if x.bit_length() <= 300]


MEDIUM = [x for x in POOL if x.bit_length() <= 1100]


def pick(pool=None):
    """An operand: from `pool`, else mostly of up to 1100 bits."""
    if pool is None:
        pool = POOL if rng.random() < 0.2 else MEDIUM
    return rng.choice(pool)


# ---------------------------------------------------------------- arithmetic

def pairs(count):
    out = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.3:
            out.append((pick(SMALLISH), pick(SMALLISH)))
        elif kind < 0.6:
            out.append((pick(), pick(SMALLISH)) if rng.random() < 0.5 else (pick(SMALLISH), pick()))
        else:
            out.append((pick(), pick()))
    return out


for a, b in pairs(300):
    case("add", [a, b], lambda: a + b)
    case("sub", [a, b], lambda: a - b)
for a, b in pairs(300):
    case("mul", [a, b], lambda: a * b)
# Karatsuba's range: long and unbalanced operands.
for _ in range(6):
    a = random_bits(rng.choice([3072, 4000, 5000])) * rng.choice([1, -1])
    b = random_bits(rng.choice([3100, 4000, 7000])) * rng.choice([1, -1])
    case("mul", [a, b], lambda: a * b)
case("mul", [123456789, 987654321], lambda: 123456789 * 987654321)
case("mul", [123456789 * 987654321, 1000], lambda: 123456789 * 987654321 * 1000)


def division_pairs(count):
    out = pairs(count)
    for _ in range(count // 2):
        # Long division's corners: a dividend a few limbs longer than the divisor.
        d = limb_pattern(rng.randrange(1, 6))
        n = limb_pattern(rng.randrange(1, 12))
        if rng.random() < 0.3:
            n = d * limb_pattern(rng.randrange(0, 4)) + rng.choice([0, 1, -1, d - 1])
        out.append((n * rng.choice([1, -1]), d * rng.choice([1, -1])))
    return out


# divmod's pair is also the golden of // and %; only their messages differ.
for a, b in division_pairs(400) + [(7, -2), (-7, 2), (-7, -2), (0, -3)]:
    case("divmod", [a, b], lambda: divmod(a, b))
for a in [0, 1, -1, 2**64, -(2**100)]:
    case("divmod", [a, 0], lambda: divmod(a, 0))
    case("floordiv", [a, 0], lambda: a // 0)
    case("mod", [a, 0], lambda: a % 0)

for a, b in pairs(200) + division_pairs(40) + [(1, 0), (0, 5), (0, -5), (2**1100, 1), (1, 2**1100)]:
    case("truediv", [a, b], lambda: a / b)
# Quotients across the whole float range, its ends, subnormals and ties.
for _ in range(250):
    exp = rng.randrange(-1140, 1100)
    b = random_bits(rng.choice([54, 64, 64, 100, 200]))
    a = (b << exp if exp >= 0 else b >> -exp) + rng.choice([0, 1, -1, rng.getrandbits(60)])
    if a == 0:
        a = 1
    a *= rng.choice([1, -1])
    case("truediv", [a, b], lambda: a / b)
for k in [1070, 1073, 1074, 1075, 1076, 1077, 1078, 1100]:
    for a in [1, 2, 3, 5, 2**53 + 1, 2**54 - 1]:
        case("truediv", [a, 2**k], lambda: a / 2**k)
        case("truediv", [2**k * a, 3], lambda: 2**k * a / 3)
for a in [2**1024 - 2**970, 2**1024 - 2**969, 2**1024 - 2**969 - 1, 2**1025]:
    case("truediv", [a, 1], lambda: a / 1)
    case("truediv", [a * 3, 3], lambda: a * 3 / 3)
    case("truediv", [a * 2**2000, 2**2000], lambda: a * 2**2000 / 2**2000)

# ---------------------------------------------------------------- powers

for _ in range(250):
    a = pick(SMALLISH)
    bits = max(a.bit_length(), 1)
    e = rng.randrange(0, max(2, 2000 // bits))
    case("pow", [a, e], lambda: a ** e)
for a in [0, 1, -1, 2, -2, 3, 10, -10, 2**64, 3**20]:
    for e in [0, 1, 2, 3, 63, 64, 65, 100] + ([1000] if abs(a) <= 3 else []):
        case("pow", [a, e], lambda: a ** e)
for a in [0, 1, -1]:
    for e in [2**64, 2**64 + 1, 2**100]:
        case("pow", [a, e], lambda: a ** e)
case("pow", [2, 64], lambda: 2**64)
case("pow", [3, 39], lambda: 3**39)
for a in [0, 1, -1, 2, -2, 3, -3, 10, 2**64, -(2**64), 2**1023, 2**1024, -(2**1025), 2**60 + 1]:
    for e in [-1, -2, -3, -10, -53, -1074, -1075, -(2**64), -(2**1024)]:
        case("pow", [a, e], lambda: a ** e)
for _ in range(80):
    a, e = pick(SMALLISH), -rng.randrange(1, 2000)
    case("pow", [a, e], lambda: a ** e)

MODULI = [1, -1, 2, -2, 3, 5, 7, 12, -12, 2**61 - 1, 2**64, 2**64 + 13, -(2**64 + 13), 10**30, 2**127 - 1,
          random_bits(200), random_bits(521), -random_bits(700), random_bits(1100), 0]
for _ in range(400):
    a = pick(SMALLISH) if rng.random() < 0.7 else pick()
    m = rng.choice(MODULI + [pick(SMALLISH)])
    e = rng.choice([0, 1, 2, 3, -1, -2, -3, rng.randrange(4, 2**64), -rng.randrange(4, 2**64),
                    random_bits(rng.choice([100, 300, 1000])), rng.randrange(-1000, 1000)])
    case("powmod", [a, e, m], lambda: pow(a, e, m))
for a, e, m in [(3, -1, 7), (2, -1, 4), (0, -1, 1), (0, -1, -1), (5, -1, -1), (4, 0, 1), (3, 0, -5), (0, 0, 7),
                (2, -1, 2**64), (3, -1, 2**64), (-3, -1, 2**64), (10, -5, -(10**20 + 39)), (6, -1, 9),
                (2, 10, 0), (2, -1, 0)]:
    case("powmod", [a, e, m], lambda: pow(a, e, m))

# ---------------------------------------------------------------- bits

for a, b in pairs(300):
    case("and", [a, b], lambda: a & b)
    case("or", [a, b], lambda: a | b)
    case("xor", [a, b], lambda: a ^ b)
for _ in range(400):
    a = pick()
    n = rng.choice([0, 1, 2, 31, 63, 64, 65, 127, 128, 129, rng.randrange(0, 3000), -1, -(2**70)])
    case("lshift", [a, n], lambda: a << n)
    n = rng.choice([0, 1, 2, 31, 63, 64, 65, 127, 128, 129, rng.randrange(0, 5000), -1, 2**70, -(2**70),
                    a.bit_length(), a.bit_length() - 1, a.bit_length() + 1])
    case("rshift", [a, n], lambda: a >> n)
# Past the bound (Note [PyInt bounds]) only zero shifts; the rest is PyIntTests' own.
case("lshift", [0, 2**70], lambda: 0 << 2**70)

# ---------------------------------------------------------------- comparisons

for a, b in pairs(300) + [(x, x) for x in POOL[:60]]:
    case("cmp", [a, b], lambda: (a > b) - (a < b))


def float_cmp(a, x):
    if a == x:
        return 0
    if a < x:
        return -1
    if a > x:
        return 1
    return "nan"


FLOATS = [0.0, -0.0, 0.5, -0.5, 1.0, 1.5, -1.5, 2.0**53, 2.0**53 + 2, 2.0**63, -(2.0**63), 2.0**64, 1e300,
          -1e300, 1.7976931348623157e308, math.inf, -math.inf, math.nan, 9007199254740993.0, 1e-300]
for _ in range(300):
    a = pick()
    try:
        f = float(a)
    except OverflowError:
        f = rng.choice([math.inf, 1.7976931348623157e308])
    x = rng.choice([f, math.nextafter(f, math.inf), math.nextafter(f, -math.inf), f + 0.5, rng.choice(FLOATS)])
    case("cmpfloat", [a, x], lambda: float_cmp(a, x))
for a in [2**53 + 1, 2**53 - 1, 2**53, -(2**53) - 1, 2**63, 2**63 - 1, 2**64 + 1, 2**1024, 2**1024 - 2**970,
          2**1024 - 2**970 + 1, 0, 1, -1]:
    for x in FLOATS:
        case("cmpfloat", [a, x], lambda: float_cmp(a, x))

# ---------------------------------------------------------------- floats

for _ in range(300):
    # Ties and near-ties at every size: 54 significant bits and a tail.
    bits = rng.randrange(56, 1100)
    top = random_bits(54) << (bits - 54)
    a = top + rng.choice([0, 1, -1, 1 << (bits - 55), (1 << (bits - 55)) + 1, (1 << (bits - 55)) - 1])
    unary(a * rng.choice([1, -1]), ["float"])

FLOAT_INPUTS = [0.0, -0.0, 0.5, -0.5, 0.99999, 1.0, -1.0, 1.5, -2.5, 1e15 + 0.5, 2.0**52 + 0.5, 2.0**53, 2.0**63,
                -(2.0**63), 2.0**64, 1e18, 1e19, 1e20, 1e100, -1e100, 1e308, 1.7976931348623157e308,
                5e-324, math.inf, -math.inf, math.nan]
for _ in range(200):
    FLOAT_INPUTS.append(rng.choice([1, -1]) * rng.random() * 2.0 ** rng.randrange(-10, 1024))
for x in FLOAT_INPUTS:
    case("int_float", [x], lambda: int(x))
    case("float_is_integer", [x], lambda: str(x.is_integer()).lower())

# ---------------------------------------------------------------- hashes

BIG_TEXT = [10**4299, 10**4300 - 1, 10**4300, -(10**4300 - 1), -(10**4300), 2**14284, 2**14285, 2**14290,
            2**14300, 2**20000, -(2**50000)]
HASHED = [k * (2**61 - 1) + d for k in [1, 2, 3, 2**64, 2**200] for d in [-2, -1, 0, 1]]
for a in POOL + HASHED + [-x for x in HASHED]:
    # Binary and octal text of the longest operands would only fill the file.
    unary(a, UNARY if a.bit_length() <= 1100 else [op for op in UNARY if op not in ("oct", "bin")])
for a in BIG_TEXT:
    unary(a, ["str", "hash", "float", "bit_length"])
unary(-(2**14290) + 1, ["hex"])

PARSE = [
    ("0", 10), ("-0", 10), ("+17", 10), ("  42  ", 10), ("\t\n-42\r\x0b\x0c", 10), ("1_000", 10), ("1__000", 10),
    ("_1", 10), ("1_", 10), ("", 10), ("   ", 10), ("-", 10), ("+ 1", 10), ("--1", 10), ("1 2", 10),
    ("12a", 10), ("0x1f", 16), ("0X1F", 16), ("1f", 16), ("0x_1f", 16), ("0x__1f", 16), ("0x", 16),
    ("0x_", 16), ("0b101", 2), ("0b101", 16), ("0o17", 8), ("0o18", 8), ("017", 8), ("0x1f", 10),
    ("0x1f", 0), ("0o17", 0), ("0b11", 0), ("017", 0), ("0", 0), ("00", 0), ("0_0", 0), ("0_7", 0), ("007", 0),
    ("-0x10", 0), ("+0b1", 0), ("0B1", 0), ("0X_ff", 0), ("10", 0), ("1_0", 0), ("z", 36), ("ZZ", 36),
    ("zz", 35), ("12", 3), ("2", 2), ("9223372036854775807", 10), ("9223372036854775808", 10),
    ("-9223372036854775808", 10), ("-9223372036854775809", 10), ("18446744073709551616", 10),
    ("ffffffffffffffff", 16), ("10000000000000000", 16), ("1" * 64, 2), ("1" * 65, 2), ("7" * 30, 8),
    ("\u0661\u0662\u0663", 10), ("\uff11\uff12", 10), ("\u00a012\u2003", 10), ("\u300012", 0), ("12\u0085", 10),
    ("\x1c12", 10), ("12\x1f", 10), ("1\x002", 10), ("12\x7f", 10), ("١٢_٣", 10), ("0x١", 16), ("١x1", 0),
    ("1", 1), ("1", 37), ("1", -1), ("1", 0), ("١٢", 16), ("\u00b2", 10), ("\u2167", 10),
    ("9" * 4300, 10), ("9" * 4301, 10), ("-" + "9" * 4300, 10), ("0" * 4301, 10), ("1" * 4301 + "x", 10),
    ("1_" * 4300 + "1", 10), ("1__" + "1" * 5000, 10), ("1" * 5000 + "_", 10), ("2" * 4301, 3), ("z" * 4301, 36),
    ("f" * 4400, 16), ("1" * 5000, 2), ("7" * 4400, 8), ("  " + "1" * 4300 + "  ", 10), ("0" * 4300 + "1", 0),
]
for _ in range(300):
    base = rng.choice([2, 3, 7, 8, 10, 10, 10, 16, 16, 36, 0])
    n = pick()
    if base in (0, 10):
        s = text(n)
    else:
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"
        m, out = abs(n), ""
        while m:
            m, r = divmod(m, base)
            out = digits[r] + out
        s = ("-" if n < 0 else "") + (out or "0")
        if rng.random() < 0.3:
            s = s.upper()
    if rng.random() < 0.3 and len(s) > 3:
        i = rng.randrange(2, len(s) - 1)
        if s[i - 1] != "-":
            s = s[:i] + "_" + s[i:]
    if rng.random() < 0.2:
        s = rng.choice([" ", "\t", "\n", "\u3000"]) + s + rng.choice(["", " ", "\n"])
    PARSE.append((s, base))
for s, base in PARSE:
    case("parse", [s, base], lambda: limited(lambda: int(s, base)))

SPECS = ["", "d", "n", ",", "_", "x", "#x", "X", "#X", "o", "#o", "b", "#b", "_b", "_x", "#_x", "+d", " d", "-d",
         ">60", "<60", "^60", "*^61", "=+60,", "060", "060,", "0100_", "+#070_x", "c", "+c", "#c", "e", ".3e",
         "E", ".10g", "g", "f", ".2f", "%", ".1%", "+.5e", "z", ".3", "10.3", ",d", ",x", "_o", "q", "s", ",,",
         "=", "=^10"]
FORMATTED = [2**70, -(2**70), 2**64, 2**63, -(2**63) - 1, 2**63 - 1, 10**30, -(10**40), -(2**200)]
for a in FORMATTED + rng.sample([x for x in RANDOM if x.bit_length() <= 300], 4):
    for spec in SPECS:
        case("format", [a, spec], lambda: limited(lambda: format(a, spec)))
# Past 4300 digits decimal output is refused, hex is not.
for a, specs in [(10**4299, ["", ",", "e"]), (-(10**4300), ["", "d", "n", "_", "x", "e", "c"]), (2**14500, ["d", "x"])]:
    for spec in specs:
        case("format", [a, spec], lambda: limited(lambda: format(a, spec)))
case("format", [2**100, ".3e"], lambda: f"{2**100:.3e}")

os.makedirs(os.path.dirname(PATH), exist_ok=True)
with open(PATH, "w", encoding="utf-8") as f:
    json.dump({"python": sys.version.split()[0], "cases": cases}, f, ensure_ascii=False, separators=(",", ":"))
    f.write("\n")
print(f"{os.path.normpath(PATH)}: {len(cases)} cases, {os.path.getsize(PATH)} bytes")
