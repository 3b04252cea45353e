#!/usr/bin/env python3
"""Regenerates the PyTorch numbers of Tests/AutogradTests/GraphShapeTests.swift.

Each GraphCase's label is the Python that PyTorch runs on the test's leaves
(an expression, or statements binding `r`); each ErrorCase's label raises.
This reads the labels from the Swift file, runs them under real PyTorch, and
writes back what the tests expect:

- GraphCase: `tree` (type(grad_fn).__name__ with next_functions in order,
  None for an input that needs no gradient), `shape`, `dtype`, `values`, and
  `grads`: the leaves' .grad after r.backward(w), w = arange(numel) * 0.5 + 1
  (nil for a leaf without one; the whole list nil when r needs no gradient);
- ErrorCase: the exception class and str(e).

    python3 tools/make_graph_shape_cases.py           # rewrite the file in place
    python3 tools/make_graph_shape_cases.py --check   # exit 1 and list the cases that differ

The leaves are the test's `Fixture`; keep the two in step.
"""
import argparse
import math
import re
import sys
from pathlib import Path

import torch

SWIFT = Path(__file__).resolve().parent.parent / "Tests/AutogradTests/GraphShapeTests.swift"


def leaves():
    def leaf(values, shape):
        # contiguous() after reshape would still be a view: clone() makes the
        # leaf its own tensor, as the Swift fixture's are (a leaf that is a
        # view changes PyTorch's in-place messages).
        return torch.tensor(values, dtype=torch.float32).reshape(shape).clone().requires_grad_()
    a = leaf([0.5, -1.2, 2.0, 0.3, 1.5, 0.7, -0.4, -2.2, 0.9, -0.8, 1.1, 0.25], [3, 4])
    b = leaf([-0.3, 0.8, 1.7, -1.1, 0.2, -0.6, 0.45, 1.3, -1.4, 2.1, 0.05, -0.7], [3, 4])
    v = leaf([0.4, -1.5, 2.5, 0.6], [4])
    m = leaf([0.3, -0.2, 1.1, 0.6, -0.9, 0.4, 0.25, -1.3], [4, 2])
    t3 = leaf([-1.1, 0.05, 1.2, -0.18, -0.41, 0.74, -0.64, 0.51, 0.28, -1.1, 0.05, 1.2, 0.51, -0.87, 0.28, -1.1,
               1.2, -0.18, 0.97, -0.41, -0.64, 0.51, -0.87, 0.28], [2, 3, 4])
    s = leaf([2.0], [])
    k = b.detach().clone()
    return {"a": a, "b": b, "v": v, "m": m, "t3": t3, "s": s, "k": k, "torch": torch, "F": torch.nn.functional}


def run(label):
    names = leaves()
    if re.search(r"(^|[^=!<>])=([^=]|$)", label.split("(")[0]) or ";" in label or "\n" in label:
        exec(label, names)
        return names, names["r"]
    return names, eval(label, names)


def tree(fn):
    if fn is None:
        return "None"
    kids = [tree(f) for f, _ in fn.next_functions]
    name = type(fn).__name__
    return f"{name}({', '.join(kids)})" if kids else name


def number(x):
    if math.isnan(x):
        return ".nan"
    if math.isinf(x):
        return ".infinity" if x > 0 else "-.infinity"
    return repr(float(x))


def numbers(xs):
    return "[" + ", ".join(number(x) for x in xs) + "]"


DTYPES = {torch.float32: ".float32", torch.float64: ".float64", torch.int64: ".int64", torch.bool: ".bool"}


def graph_fields(label):
    names, r = run(label)
    fields = {
        "tree": '"' + tree(r.grad_fn) + '"',
        "shape": "[" + ", ".join(str(d) for d in r.shape) + "]",
        "dtype": DTYPES[r.dtype],
        "values": numbers(r.detach().double().flatten().tolist()),
    }
    if not r.requires_grad:
        fields["grads"] = "nil"
    else:
        w = (torch.arange(r.numel(), dtype=torch.float64) * 0.5 + 1).to(r.dtype).reshape(r.shape)
        r.backward(w)
        grads = []
        for name in ["a", "b", "v", "m", "t3", "s"]:
            g = names[name].grad
            grads.append("nil" if g is None else numbers(g.double().flatten().tolist()))
        fields["grads"] = "[" + ", ".join(grads) + "]"
    return fields


KINDS = {"RuntimeError": ".runtime", "IndexError": ".index", "TypeError": ".type", "ValueError": ".value",
         "NotImplementedError": ".notImplemented"}


def swift_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def error_field(label):
    try:
        run(label)
    except Exception as e:  # the case's point is what PyTorch raises
        return f"{KINDS.get(type(e).__name__, '.runtime')}({swift_string(str(e))})"
    return None


GRAPH = re.compile(r'GraphCase\("((?:[^"\\]|\\.)*)",\n\s*tree: (".*?"),\n\s*shape: (\[.*?\]), dtype: (\.\w+), '
                   r'values: (\[.*?\]),\n\s*grads: (nil|\[.*?\])\) \{')
ERROR = re.compile(r'ErrorCase\("((?:[^"\\]|\\.)*)", (\.\w+\((?:"(?:[^"\\]|\\.)*")\))\) \{')


def unescape(label):
    return label.replace('\\"', '"').replace("\\\\", "\\")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 when a case differs")
    args = parser.parse_args()
    text = SWIFT.read_text()
    differing = []

    def graph(match):
        label = unescape(match.group(1))
        try:
            f = graph_fields(label)
        except Exception as e:
            differing.append(f"{label}: PyTorch raised {type(e).__name__}: {e}")
            return match.group(0)
        new = (f'GraphCase("{match.group(1)}",\n                  tree: {f["tree"]},\n'
               f'                  shape: {f["shape"]}, dtype: {f["dtype"]}, values: {f["values"]},\n'
               f'                  grads: {f["grads"]}) {{')
        old = (match.group(2), match.group(3), match.group(4), match.group(5), match.group(6))
        if old != (f["tree"], f["shape"], f["dtype"], f["values"], f["grads"]):
            differing.append(label)
        return new

    def error(match):
        label = unescape(match.group(1))
        field = error_field(label)
        if field is None:
            differing.append(f"{label}: PyTorch did not raise")
            return match.group(0)
        if field != match.group(2):
            differing.append(label)
        return f'ErrorCase("{match.group(1)}", {field}) {{'

    out = ERROR.sub(error, GRAPH.sub(graph, text))
    cases = len(GRAPH.findall(text)) + len(ERROR.findall(text))
    if args.check:
        for d in differing:
            print("differs:", d)
        print(f"{cases} cases, {len(differing)} differ from PyTorch {torch.__version__}")
        sys.exit(1 if differing else 0)
    SWIFT.write_text(out)
    print(f"{cases} cases, {len(differing)} rewritten from PyTorch {torch.__version__}")


if __name__ == "__main__":
    main()
