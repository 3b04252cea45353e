#!/usr/bin/env python3
"""Compare double-backward graphs and values with PyTorch, op by op.

For every entry of OPS (an expression over the inputs x, y, w), writes a
small script that takes first derivatives with create_graph=True, prints the
grad_fn graph of each one (node names, depth first, shared nodes once) and
the second derivatives, then runs it under PyTorch (python3) and under
autograd-viz (`run`), and prints one line per op: `ok`, or the first line
where the two outputs differ.

    python3 tools/double_backward_audit.py [--bin PATH] [--keep DIR] [OP ...]

Exit status: 0 when every op matches, 1 otherwise, 2 for usage errors.
"""
import argparse
import os
import subprocess
import sys
import tempfile

# name: (expression, inputs it differentiates). x is 2x3 with values away
# from 0 and ties, y is 2x3, w is 3 (a bias-like vector).
OPS = {
    "add": ("x + y * y", "x, y"),
    "sub": ("x * x - y", "x, y"),
    "mul": ("x * y", "x, y"),
    "div": ("x / y", "x, y"),
    "neg": ("-(x * x)", "x"),
    "pow_scalar": ("x ** 3", "x"),
    "pow_tensor": ("x.abs() ** y", "x, y"),
    "rpow": ("2 ** x", "x"),
    "reciprocal": ("x.reciprocal()", "x"),
    "square": ("x.square()", "x"),
    "exp": ("x.exp()", "x"),
    "log": ("x.abs().log()", "x"),
    "sqrt": ("x.abs().sqrt()", "x"),
    "sin": ("x.sin()", "x"),
    "cos": ("x.cos()", "x"),
    "tanh": ("x.tanh()", "x"),
    "sigmoid": ("x.sigmoid()", "x"),
    "relu": ("x.relu() * x", "x"),
    "abs": ("x.abs() * x", "x"),
    "clamp": ("x.clamp(-0.5, 0.5) * x", "x"),
    "maximum": ("torch.maximum(x, y) * x", "x, y"),
    "minimum": ("torch.minimum(x, y) * y", "x, y"),
    "max": ("x.max() * x", "x"),
    "max_dim": ("x.max(1)[0] * w[:2]", "x, w"),
    "sum": ("x.sum(1) * w[:2]", "x, w"),
    "mean": ("(x * x).mean(0)", "x"),
    "softmax": ("torch.softmax(x, 1) * y", "x, y"),
    "log_softmax": ("torch.log_softmax(x, 1) * y", "x, y"),
    "matmul": ("x @ y.t()", "x, y"),
    "mv": ("x.mv(w)", "x, w"),
    "dot": ("w.dot(w * w)", "w"),
    "bmm": ("x.unsqueeze(0).bmm(y.t().unsqueeze(0))", "x, y"),
    "linear": ("torch.nn.functional.linear(x, y, w[:2])", "x, y, w"),
    "broadcast": ("x * w", "x, w"),
    "transpose": ("x.t() * y.t()", "x, y"),
    "view": ("x.view(3, 2) * y.reshape(3, 2)", "x, y"),
    "expand": ("w.expand(2, 3) * x", "x, w"),
    "select": ("x[0] * y[1]", "x, y"),
    "mse_loss": ("torch.nn.functional.mse_loss(x, y)", "x, y"),
    "cross_entropy": ("torch.nn.functional.cross_entropy(x, torch.tensor([0, 2]))", "x"),
}

TEMPLATE = """import torch
x = torch.tensor([[0.3, -1.2, 0.7], [1.5, -0.4, 0.9]], requires_grad=True)
y = torch.tensor([[0.8, 0.2, -0.6], [-1.1, 1.3, 0.5]], requires_grad=True)
w = torch.tensor([0.6, -0.9, 1.4], requires_grad=True)
out = {expr}
inputs = [{inputs}]
grads = torch.autograd.grad((out * out).sum(), inputs, create_graph=True, allow_unused=True)
def walk(fn, seen, depth):
    if fn is None or fn in seen:
        return
    seen.append(fn)
    print("  " * depth + fn.name())
    for nxt, _ in fn.next_functions:
        walk(nxt, seen, depth + 1)
for i, g in enumerate(grads):
    print("grad", i, g is not None and g.requires_grad)
    if g is not None and g.grad_fn is not None:
        walk(g.grad_fn, [], 1)
total = sum((g * g).sum() for g in grads if g is not None and g.requires_grad)
if torch.is_tensor(total):
    seconds = torch.autograd.grad(total, inputs, allow_unused=True)
    for s in seconds:
        # 4 decimals and 4 significant digits (float32 noise aside), -0. as 0.
        print(None if s is None else " ".join("%.4g" % (round(v, 4) + 0.0) for v in s.flatten().tolist()))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ops", nargs="*", help="ops to check (default: all)")
    parser.add_argument("--bin", default=".build/debug/autograd-viz", help="the autograd-viz binary")
    parser.add_argument("--keep", help="write the scripts into this directory and keep them")
    args = parser.parse_args()
    unknown = [op for op in args.ops if op not in OPS]
    if unknown:
        print(f"unknown ops: {', '.join(unknown)} (known: {', '.join(OPS)})", file=sys.stderr)
        return 2
    directory = args.keep or tempfile.mkdtemp(prefix="double-backward-")
    os.makedirs(directory, exist_ok=True)
    failures = 0
    for name in args.ops or OPS:
        expr, inputs = OPS[name]
        # A prefix: a script named like a standard module (select.py) would shadow it.
        path = os.path.join(directory, f"op_{name}.py")
        with open(path, "w") as f:
            f.write(TEMPLATE.format(expr=expr, inputs=inputs))
        torch_run = subprocess.run([sys.executable, path], capture_output=True, text=True)
        ours_run = subprocess.run([args.bin, "run", "--tables", "none", "--no-color", path], capture_output=True, text=True)
        theirs = torch_run.stdout.splitlines() + (["error: " + torch_run.stderr.strip().splitlines()[-1]] if torch_run.returncode else [])
        ours = [line for line in ours_run.stdout.splitlines() if line.strip()]
        ours += ["error: " + ours_run.stderr.strip().splitlines()[-1]] if ours_run.returncode and ours_run.stderr.strip() else []
        theirs = [line for line in theirs if line.strip()]
        if ours == theirs:
            print(f"{name}: ok")
            continue
        failures += 1
        k = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
        print(f"{name}: line {k + 1}: ours {ours[k] if k < len(ours) else '<missing>'!r}, "
              f"PyTorch {theirs[k] if k < len(theirs) else '<missing>'!r}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
