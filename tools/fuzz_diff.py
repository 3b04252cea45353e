#!/usr/bin/env python3
"""Differential fuzzer: generated model scripts under autograd-viz and PyTorch.

Usage:
    tools/fuzz_diff.py [--minutes M] [--count N] [--seed S] [--out DIR]
                       [--bin PATH] [--timeout SEC] [--no-torch]

Generates small scripts over the API autograd-viz supports (tensor ops,
in-place ops, views, indexing, backward / autograd.grad with retain_graph
and create_graph, hooks, nn modules, losses, optimizers), runs each with
``autograd-viz run SCRIPT --json --snapshots all`` and, when torch can be imported, under
``tools/torch_reference.py``, and compares the two documents with
``compare_runs.py``'s comparer (its default tolerances, without --extra).

Each kind of failure is reported once, as a minimised script (lines removed
while the same failure remains) in DIR (default fuzz/out/diff/):

* ``crash-*.py``: autograd-viz exited with a status other than 0, 1 or 2,
  or was killed by a signal;
* ``hang-*.py``: autograd-viz did not finish within --timeout seconds;
* ``diff-*.py``: the documents differ (only with torch).

Every file starts with a comment block saying what went wrong. Without
torch (or with --no-torch) only crashes and hangs are looked for. At the end
it prints how many scripts ran, for how long, and what it found; the exit
status is 1 when something was found, 0 otherwise.

PyTorch is imported once; each script then runs torch_reference.py's
``main`` in a forked child (as ``python3 tools/torch_reference.py SCRIPT -o
OUT`` would, without paying torch's import every time).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import compare_runs  # noqa: E402

# ---------------------------------------------------------------- generator

# Shapes are tuples; every tensor the generator names has a known shape.
VALUES = {
    (2, 3): ["[[1., -2., 0.], [0.5, 3., -1.]]", "[[0., 0., 1.], [2., -0.5, 0.25]]", "[[-1., 1., -1.], [1., -1., 1.]]"],
    (3,): ["[0., 1., -2.]", "[0.5, 0.5, 0.5]", "[2., -3., 0.]"],
    (2, 2): ["[[1., 2.], [3., 4.]]", "[[0., -1.], [1., 0.]]"],
    (): ["0.", "2.", "-1.5"],
}


class Var:
    def __init__(self, name: str, shape: tuple, requires_grad: bool, leaf: bool):
        self.name, self.shape, self.requires_grad, self.leaf = name, shape, requires_grad, leaf


def shape_text(shape: tuple) -> str:
    return ", ".join(str(d) for d in shape)


class Generator:
    """Builds one script: a list of statements (each one or more lines)."""

    def __init__(self, rng: random.Random, skip_known: bool = False):
        self.r = rng
        # Leave out what fuzz/findings/README.md lists as open, so that a run
        # looks for new differences only: BatchNorm, which (with Adam) turns
        # the last bit of a matrix product, MKL's in PyTorch and OpenBLAS's
        # here, into visibly different parameters.
        self.skip_known = skip_known
        self.vars: list[Var] = []
        self.modules: list[tuple[str, int, int]] = []  # (name, in, out)
        self.optimizers: list[tuple[str, str]] = []
        self.lines: list[str] = []
        self.counter = 0

    def fresh(self, prefix: str = "t") -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def pick(self, pred=lambda v: True) -> Var | None:
        cands = [v for v in self.vars if pred(v)]
        return self.r.choice(cands) if cands else None

    # -- creating leaves
    def leaf(self) -> None:
        r = self.r
        shape = r.choice([(2, 3), (2, 3), (3,), (2, 2), ()])
        grad = r.random() < 0.75
        name = self.fresh("x")
        rg = ", requires_grad=True" if grad else ""
        kind = r.randrange(6)
        if kind == 0 and shape:
            expr = f"torch.randn({shape_text(shape)}{rg})"
        elif kind == 1 and shape:
            expr = f"torch.{r.choice(['ones', 'zeros'])}({shape_text(shape)}{rg})"
        elif kind == 2 and shape == (2, 3):
            expr = f"torch.arange(6.).reshape(2, 3)" + (".requires_grad_()" if grad else "")
        else:
            expr = f"torch.tensor({r.choice(VALUES[shape])}{rg})"
        self.lines.append(f"{name} = {expr}")
        self.vars.append(Var(name, shape, grad, True))

    # -- ops producing a new tensor
    # docs/SCRIPT-LANGUAGE.md's "Supported torch API" (and TensorAPI.swift).
    UNARY = ["exp()", "sin()", "cos()", "tanh()", "sigmoid()", "relu()", "abs()", "neg()", "sqrt()",
             "log()", "square()", "pow(2)", "pow(3)", "pow(0.5)", "clamp(min=0.)", "clamp(-0.5, 0.5)",
             "clamp(max=0.)", "clone()", "detach()", "sign()", "reciprocal()", "double()", "contiguous()"]
    FUNCS = ["torch.softmax({x}, dim=-1)", "F.softmax({x}, dim=0)" , "torch.log_softmax({x}, dim=-1)",
             "F.relu({x})", "F.sigmoid({x})", "F.tanh({x})", "F.logsigmoid({x})", "{x} ** 2", "{x} ** {x}",
             "{x} * 1", "2 * {x} - 1", "{x} / 2", "torch.where({x} > 0, {x}, {x} * 0.1)", "{x}.abs() ** 0.5",
             "-{x}", "{x} ** 0.5", "torch.exp({x})", "torch.sqrt({x} * {x})", "torch.clamp({x}, 0., 1.)",
             "torch.log({x}.abs())", "1 / {x}", "{x} ** -1", "0 ** {x}", "torch.abs({x})", "{x}.sign() * {x}"]
    REDUCE = ["sum()", "mean()", "max()", "min()", "sum() * 0", "softmax(0).sum()" ]

    def unary(self) -> None:
        x = self.pick()
        if not x:
            return
        r = self.r
        name = self.fresh("y")
        c = r.randrange(4)
        shape = x.shape
        if c == 0:
            expr = f"{x.name}.{r.choice(self.UNARY)}"
        elif c == 1:
            expr = r.choice(self.FUNCS).format(x=x.name)
            if "dim=-1" in expr and not shape:
                expr = f"{x.name}.exp()"
        elif c == 2:
            expr, shape = f"{x.name}.{r.choice(self.REDUCE)}", ()
        else:
            expr, shape = self.view_expr(x)
        self.lines.append(f"{name} = {expr}")
        self.vars.append(Var(name, shape, x.requires_grad and "detach" not in expr, False))

    def view_expr(self, x: Var) -> tuple[str, tuple]:
        r = self.r
        s = x.shape
        opts: list[tuple[str, tuple]] = [(f"{x.name}.reshape(-1)", (max(1, prod(s)),) if s else (1,)),
                                         (f"{x.name}.unsqueeze(0)", (1,) + s)]
        if len(s) == 2:
            a, b = s
            opts += [(f"{x.name}.t()", (b, a)), (f"{x.name}.transpose(0, 1)", (b, a)),
                     (f"{x.name}[0]", (b,)), (f"{x.name}[:, 1]", (a,)), (f"{x.name}[1:]", (a - 1, b)),
                     (f"{x.name}.sum(0)", (b,)), (f"{x.name}.sum(dim=1, keepdim=True)", (a, 1)),
                     (f"{x.name}.view({b}, {a})", (b, a)), (f"{x.name}[..., :2]", (a, 2)),
                     (f"{x.name}.mean(1)", (a,)), (f"{x.name}.max(dim=1)[0]", (a,)),
                     (f"{x.name}[[1, 0]]", (2, b)),
                     (f"{x.name}.select(1, 0)", (a,)), (f"{x.name}.permute(1, 0)", (b, a)),
                     (f"{x.name}.unsqueeze(1).squeeze()", (a, b)), (f"{x.name}.expand_as({x.name})", (a, b)),
                     (f"torch.cat([{x.name}, {x.name}], 0)", (2 * a, b)),
                     (f"torch.stack([{x.name}, {x.name}])", (2, a, b)),
                     (f"{x.name}.expand(2, {a}, {b})", (2, a, b)), (f"{x.name}.flatten()", (a * b,)),
                     (f"list({x.name})[{a - 1}]", (b,)), (f"{x.name}.unbind(1)[0]", (a,)),
                     (f"torch.unbind({x.name})[0] * 2", (b,))]
        elif len(s) == 1:
            (n,) = s
            opts += [(f"{x.name}[1:]", (n - 1,)), (f"{x.name}[0]", ()), (f"{x.name}.expand(2, {n})", (2, n)),
                     (f"{x.name}.view(1, {n})", (1, n)), (f"{x.name}[::2]", ((n + 1) // 2,)),
                     (f"{x.name}[[0, 0]]", (2,)), (f"torch.cat([{x.name}, {x.name}])", (2 * n,)),
                     (f"list({x.name})[0]", ())]
        return r.choice(opts)

    def binary(self) -> None:
        x = self.pick()
        if not x:
            return
        r = self.r
        same = [v for v in self.vars if v.shape == x.shape or v.shape == () or
                (len(x.shape) == 2 and v.shape == x.shape[1:])]
        y = r.choice(same) if same else x
        name = self.fresh("y")
        shape = x.shape
        if len(x.shape) == 2 and any(len(v.shape) >= 1 and v.shape[0] == x.shape[1] for v in self.vars) and r.random() < 0.3:
            y = r.choice([v for v in self.vars if len(v.shape) >= 1 and v.shape[0] == x.shape[1]])
            expr = f"{x.name} @ {y.name}"
            shape = (x.shape[0],) + y.shape[1:]
        elif len(x.shape) == 1 and r.random() < 0.2:
            ys = [v for v in self.vars if v.shape == x.shape]
            y = r.choice(ys)
            expr, shape = f"torch.dot({x.name}, {y.name})", ()
        else:
            op = r.choice(["+", "-", "*", "/", "max", "min", "where", "mul", "add"])
            if op == "max":
                expr = f"torch.maximum({x.name}, {y.name})"
            elif op == "min":
                expr = f"torch.minimum({x.name}, {y.name})"
            elif op == "where":
                expr = f"torch.where({x.name} > {y.name}, {x.name}, {y.name})"
            elif op in ("mul", "add"):
                expr = f"{x.name}.{op}({y.name})"
            else:
                expr = f"{x.name} {op} {y.name}"
            if y.shape == x.shape or y.shape == ():
                shape = x.shape
        self.lines.append(f"{name} = {expr}")
        self.vars.append(Var(name, shape, x.requires_grad or y.requires_grad, False))

    INPLACE = ["mul_(2)", "add_(1)", "sub_(0.5)", "clamp_(min=0.5)", "clamp_(-1., 0.)", "zero_()",
               "fill_(3.)", "div_(4)", "copy_({same})", "mul_({same})", "add_({same}, alpha=2)", "detach_()"]

    def inplace(self) -> None:
        r = self.r
        x = self.pick(lambda v: not v.leaf or r.random() < 0.3)
        if not x:
            return
        op = r.choice(self.INPLACE)
        if "{same}" in op:
            same = [v for v in self.vars if v.shape == x.shape]
            op = op.format(same=r.choice(same).name)
        c = r.randrange(6)
        if c == 0 and len(x.shape) == 2:
            target = r.choice([f"{x.name}.t()", f"{x.name}[0]", f"{x.name}[:, 1]", f"{x.name}[1:]",
                               f"{x.name}.view(-1)", f"{x.name}.unsqueeze(0)", f"list({x.name})[0]",
                               f"{x.name}.unbind(1)[1]"])
            self.lines.append(f"{target}.{op}")
        elif c == 1 and x.shape:
            idx = r.choice(["0", "-1", ":1"] if len(x.shape) == 1 else ["0", "1", ":, 0", "0, 1", "..., 2" if x.shape[-1] > 2 else "0"])
            rhs = r.choice(["0.", "1.", f"{x.name}[{idx}] * 2", "-2."])
            aug = r.choice(["=", "+=", "*=", "-="])
            self.lines.append(f"{x.name}[{idx}] {aug} {rhs}")
        elif c == 2 and x.leaf:
            self.lines.append(f"with torch.no_grad():\n    {x.name}.{op}")
        elif c == 3:
            aug = r.choice(["+=", "*=", "-=", "/="])
            self.lines.append(f"{x.name} {aug} {r.choice(['2', '0.5', x.name])}")
        else:
            self.lines.append(f"{x.name}.{op}")

    def backward(self) -> None:
        r = self.r
        x = self.pick(lambda v: v.requires_grad)
        if not x:
            return
        root = x.name if x.shape == () else f"{x.name}.{r.choice(['sum()', 'mean()', 'pow(2).sum()'])}"
        c = r.randrange(5)
        rg = r.choice(["", "", "retain_graph=True"])
        if c == 0:
            leaves = [v.name for v in self.vars if v.leaf and v.requires_grad]
            if not leaves:
                return
            ins = r.sample(leaves, min(len(leaves), r.randint(1, 2)))
            cg = r.random() < 0.5
            name = self.fresh("g")
            args = ", create_graph=True" if cg else (", allow_unused=True" if r.random() < 0.3 else "")
            if rg and not cg:
                args += ", retain_graph=True"
            self.lines.append(f"{name} = torch.autograd.grad({root}, [{', '.join(ins)}]{args})")
            if cg:
                self.lines.append(f"{name}[0].sum().backward()")
        elif c == 1 and x.shape:
            self.lines.append(f"{x.name}.backward(torch.ones_like({x.name}){', ' + rg if rg else ''})")
        else:
            self.lines.append(f"{root}.backward({rg})")

    def module(self) -> None:
        r = self.r
        name = self.fresh("m")
        kind = r.randrange(5)
        if kind == 0:
            self.lines.append(f"{name} = nn.Linear(3, 2{', bias=False' if r.random() < 0.2 else ''})")
            self.modules.append((name, 3, 2))
        elif kind == 1:
            act = r.choice(["nn.Tanh()", "nn.ReLU()", "nn.Sigmoid()", "nn.ReLU(inplace=True)", "nn.Dropout(0.)"])
            self.lines.append(f"{name} = nn.Sequential(nn.Linear(3, 4), {act}, nn.Linear(4, 2))")
            self.modules.append((name, 3, 2))
        elif kind == 2:
            self.lines.append(f"{name} = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.0), nn.Tanh())")
            self.modules.append((name, 3, 3))
        elif kind == 3 and not self.skip_known:
            self.lines.append(f"{name} = nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3))")
            self.modules.append((name, 3, 3))
        else:
            self.lines.append(f"{name} = nn.Linear(3, 3)")
            self.modules.append((name, 3, 3))
        if r.random() < 0.6:
            opt = self.fresh("opt")
            choice = r.choice([
                "torch.optim.SGD({m}.parameters(), lr=0.1)",
                "torch.optim.SGD({m}.parameters(), lr=0.1, momentum=0.9)",
                "torch.optim.SGD({m}.parameters(), lr=0.1, weight_decay=0.01, nesterov=True, momentum=0.5)",
                "torch.optim.Adam({m}.parameters(), lr=0.01)",
                "torch.optim.AdamW({m}.parameters(), lr=0.01, weight_decay=0.1)",
                "torch.optim.Adam({m}.parameters(), lr=0.01, amsgrad=True, weight_decay=0.1)",
                "torch.optim.AdamW({m}.parameters())",
            ])
            self.lines.append(f"{opt} = {choice.format(m=name)}")
            self.optimizers.append((opt, name))

    def use_module(self) -> None:
        r = self.r
        if not self.modules:
            return self.module()
        m, fan_in, fan_out = r.choice(self.modules)
        xs = [v for v in self.vars if len(v.shape) == 2 and v.shape[1] == fan_in]
        if not xs:
            return
        x = r.choice(xs)
        name = self.fresh("h")
        self.lines.append(f"{name} = {m}({x.name})")
        self.vars.append(Var(name, (x.shape[0], fan_out), True, False))
        if r.random() < 0.5:
            loss = self.fresh("loss")
            fn = r.choice(["F.mse_loss", "nn.MSELoss()", "nn.MSELoss(reduction='sum')",
                           "F.binary_cross_entropy_with_logits"])
            self.lines.append(f"{loss} = {fn}({name}, torch.zeros({x.shape[0]}, {fan_out}))")
            self.vars.append(Var(loss, (), True, False))

    def train_step(self) -> None:
        if not self.optimizers:
            return
        opt, m = self.r.choice(self.optimizers)
        steps = self.r.randint(1, 3)
        self.lines.append(
            f"for _ in range({steps}):\n"
            f"    {opt}.zero_grad()\n"
            f"    {m}(torch.tensor([[1., 2., 3.], [-1., 0., 0.5]])).pow(2).mean().backward()\n"
            f"    {opt}.step()")

    def iterate(self) -> None:
        """Rows of a tensor (unbind in PyTorch): summed in a loop, unpacked,
        or taken as views under no_grad."""
        r = self.r
        x = self.pick(lambda v: len(v.shape) == 2)
        if not x:
            return
        name = self.fresh("y")
        c = r.randrange(3)
        if c == 0:
            self.lines.append(f"{name} = 0\nfor i, row in enumerate({x.name}):\n    {name} = {name} + row * (i + 1)")
            self.vars.append(Var(name, x.shape[1:], x.requires_grad, False))
        elif c == 1:
            other = self.fresh("y")
            self.lines.append(f"{name}, {other} = {x.name}[:2]")
            self.vars += [Var(name, x.shape[1:], x.requires_grad, False), Var(other, x.shape[1:], x.requires_grad, False)]
        else:
            index, shape = r.choice([("0", x.shape[1:]), (":, 1", x.shape[:1]), ("1:", (x.shape[0] - 1,) + x.shape[1:])])
            self.lines.append(f"with torch.no_grad():\n    {name} = {x.name}[{index}]")
            self.vars.append(Var(name, shape, x.requires_grad, False))

    def observe(self) -> None:
        r = self.r
        x = self.pick()
        if not x:
            return
        what = r.choice(["", ".grad", ".grad_fn", "._version", ".is_leaf", ".requires_grad", ".shape",
                         ".grad_fn.next_functions if {x}.grad_fn is not None else None", ".data", ".tolist()"])
        self.lines.append(f"print({x.name}{what.format(x=x.name)})")

    def misc(self) -> None:
        r = self.r
        x = self.pick(lambda v: v.requires_grad)
        if not x:
            return
        c = r.randrange(4)
        if c == 0 and not x.leaf:
            self.lines.append(f"{x.name}.retain_grad()")
        elif c == 1:
            self.lines.append(f"{x.name}.register_hook(lambda g: g * 2)")
        elif c == 2 and x.leaf:
            self.lines.append(f"{x.name}.grad = None")
        else:
            y = self.fresh("d")
            self.lines.append(f"{y} = {x.name}.detach()")
            self.vars.append(Var(y, x.shape, False, True))

    def script(self) -> str:
        r = self.r
        for _ in range(r.randint(1, 3)):
            self.leaf()
        if r.random() < 0.35:
            self.module()
        steps = [(self.unary, 5), (self.binary, 4), (self.inplace, 3), (self.backward, 3), (self.leaf, 1),
                 (self.use_module, 2), (self.train_step, 1), (self.observe, 2), (self.misc, 1), (self.iterate, 1)]
        funcs = [f for f, w in steps for _ in range(w)]
        for _ in range(r.randint(3, 14)):
            r.choice(funcs)()
        if not any(".backward(" in line or "autograd.grad" in line for line in self.lines):
            self.backward()
        return "\n".join(self.lines) + "\n"


def prod(shape: tuple) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


# ---------------------------------------------------------------- running

class Outcome:
    def __init__(self, kind: str, detail: str = "", doc: dict | None = None):
        self.kind, self.detail, self.doc = kind, detail, doc  # kind: ok, crash, hang


def run_ours(binary: str, script: Path, timeout: float) -> Outcome:
    try:
        p = subprocess.run([binary, "run", str(script), "--json", "--snapshots", "all"], capture_output=True, timeout=timeout,
                           env={**os.environ, "SWIFT_BACKTRACE": "enable=no"})
    except subprocess.TimeoutExpired:
        return Outcome("hang", f"no exit within {timeout:g} s")
    if p.returncode < 0:
        return Outcome("crash", f"killed by signal {signal.Signals(-p.returncode).name}")
    if p.returncode not in (0, 1, 2):
        tail = p.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        return Outcome("crash", f"exit status {p.returncode}: {' | '.join(tail)}")
    try:
        doc = json.loads(p.stdout) if p.returncode != 2 else None
    except json.JSONDecodeError as e:
        return Outcome("crash", f"exit status {p.returncode} but stdout is not a JSON document ({e})")
    return Outcome("ok", f"exit {p.returncode}", doc)


class TorchRunner:
    """Runs torch_reference.main in a child forked from a process that has
    already imported torch."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        import torch  # noqa: F401  (raises ImportError without torch)
        import torch_reference
        self.main = torch_reference.main

    def run(self, script: Path, out: Path) -> dict | None:
        pid = os.fork()
        if pid == 0:
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                status = self.main([str(script), "-o", str(out)])
            except BaseException:
                status = 3
            os._exit(status)
        deadline = time.monotonic() + self.timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None
            time.sleep(0.005)
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            return None
        try:
            return json.loads(out.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None


def field_key(diff_line: str) -> str:
    """`tensors.y3.grad[0][1]: ours=... torch=...` -> `tensors.*.grad`: the
    kind of difference, for deduplicating and minimising."""
    field = diff_line.split(":", 1)[0]
    field = re.sub(r"\[[^\]]*\]", "", field)
    parts = field.split(".")
    if parts and parts[0] in ("tensors", "backward") and len(parts) > 1:
        parts[1] = "*"
    return ".".join(parts)


class Fuzzer:
    def __init__(self, args: argparse.Namespace, torch: TorchRunner | None):
        self.args, self.torch = args, torch
        self.work = Path(tempfile.mkdtemp(prefix="fuzz_diff_"))
        self.out = Path(args.out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.seen: set[str] = set()
        self.findings: list[tuple[str, Path, str]] = []
        self.runs = 0
        self.unsupported = 0

    def check(self, text: str) -> tuple[str, str, list[str]] | None:
        """(signature, kind, detail lines) of what is wrong with `text`, or None."""
        script = self.work / "script.py"
        script.write_text(text, encoding="utf-8")
        self.runs += 1
        ours = run_ours(self.args.bin, script, self.args.timeout)
        if ours.kind != "ok":
            sig = f"{ours.kind}:{re.sub(r'[0-9]+', 'N', ours.detail)[:80]}"
            return sig, ours.kind, [ours.detail]
        if not self.torch or ours.doc is None:
            return None
        ref = self.torch.run(script, self.work / "torch.json")
        if ref is None:
            return None  # torch_reference itself failed or timed out: not ours to report
        error = ours.doc.get("error") or {}
        if error.get("type") == "NotImplementedError" and "autograd-viz" in error.get("message", ""):
            # A documented limitation ("... is not supported by autograd-viz",
            # "autograd-viz does not model in-place operations on a view ..."):
            # not a finding.
            self.unsupported += 1
            return None
        try:
            diffs = compare_runs.Comparer(1e-4, 1e-5, False).run(ours.doc, ref)
        except (KeyError, TypeError, IndexError) as e:  # a document compare_runs cannot read
            return f"compare-error:{type(e).__name__}", "diff", [f"compare_runs failed: {type(e).__name__} {e}"]
        if not diffs:
            return None
        signature = "diff:" + field_key(diffs[0])
        if diffs[0].startswith("error"):
            # Which error each side raised, with the names and numbers in its message left out.
            theirs = ref.get("error") or {}
            message = re.sub(r"'[^']*'|[0-9]+", "_", (error or theirs).get("message", ""))[:60]
            signature += f":{error.get('type')}/{theirs.get('type')}:{message}"
        return signature, "diff", diffs[:8]

    def minimise(self, text: str, signature: str) -> str:
        """Removes statements (top-level blocks) while the same signature remains."""
        blocks: list[str] = []
        for line in text.splitlines():
            if line.startswith((" ", "\t")) and blocks:
                blocks[-1] += "\n" + line
            else:
                blocks.append(line)
        changed = True
        while changed:
            changed = False
            i = len(blocks) - 1
            while i >= 0:
                trial = blocks[:i] + blocks[i + 1:]
                if trial:
                    got = self.check("\n".join(trial) + "\n")
                    if got and got[0] == signature:
                        blocks = trial
                        changed = True
                i -= 1
        return "\n".join(blocks) + "\n"

    def report(self, text: str, found: tuple[str, str, list[str]]) -> None:
        signature, kind, _ = found
        self.seen.add(signature)
        small = self.minimise(text, signature)
        final = self.check(small) or found
        path = self.out / f"{kind}-{len(self.findings) + 1:03d}.py"
        header = [f"# fuzz_diff finding ({kind}): {signature}"] + [f"#   {d}" for d in final[2]]
        path.write_text("\n".join(header) + "\n" + small, encoding="utf-8")
        self.findings.append((signature, path, final[2][0] if final[2] else ""))
        print(f"FOUND {path}: {signature}", flush=True)

    def loop(self) -> int:
        start = time.monotonic()
        stop = start + self.args.minutes * 60
        generated = 0
        rng = random.Random(self.args.seed)
        while time.monotonic() < stop and (self.args.count is None or generated < self.args.count):
            text = Generator(random.Random(rng.getrandbits(64)), self.args.skip_known).script()
            generated += 1
            found = self.check(text)
            if found and found[0] not in self.seen:
                self.report(text, found)
            if generated % 50 == 0:
                print(f"{generated} scripts, {self.runs} runs, {len(self.findings)} findings, "
                      f"{time.monotonic() - start:.0f} s", flush=True)
        elapsed = time.monotonic() - start
        mode = "against PyTorch" if self.torch else "crashes and hangs only (no torch)"
        print(f"fuzz_diff: {generated} generated scripts ({self.runs} runs with minimising) in {elapsed:.0f} s, "
              f"{mode}; {self.unsupported} runs stopped at a documented unsupported feature; "
              f"{len(self.findings)} findings in {self.out}")
        for signature, path, first in self.findings:
            print(f"  {path}: {signature}  [{first[:150]}]")
        return 1 if self.findings else 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, default=5)
    p.add_argument("--count", type=int, help="stop after this many generated scripts")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=str(ROOT / "fuzz" / "out" / "diff"))
    p.add_argument("--bin", default=str(ROOT / ".build" / "debug" / "autograd-viz"))
    p.add_argument("--timeout", type=float, default=30, help="seconds per run of either side")
    p.add_argument("--no-torch", action="store_true", help="only look for crashes and hangs")
    p.add_argument("--skip-known", action="store_true",
                   help="generate no BatchNorm (it amplifies the open last-bit finding of matrix products, fuzz/findings/README.md)")
    p.add_argument("--print", action="store_true", help="print generated scripts and exit (with --count)")
    args = p.parse_args()
    if args.print:
        rng = random.Random(args.seed)
        for _ in range(args.count or 5):
            print(Generator(random.Random(rng.getrandbits(64)), args.skip_known).script())
        return 0
    if not os.access(args.bin, os.X_OK):
        print(f"fuzz_diff: no autograd-viz at {args.bin} (swift build, or --bin)", file=sys.stderr)
        return 2
    torch = None
    if not args.no_torch:
        try:
            torch = TorchRunner(args.timeout)
        except ImportError as e:
            print(f"fuzz_diff: torch not importable ({e}): checking for crashes and hangs only", flush=True)
    return Fuzzer(args, torch).loop()


if __name__ == "__main__":
    sys.exit(main())
