#!/usr/bin/env python3
"""Run an autograd-viz model script under real PyTorch and write a run document.

Usage:
    tools/torch_reference.py MODEL [-o OUT.json]

MODEL is a model file (JSON: {"name", "description", "seed", "code"}, where
"code" is a string or an array of lines, line k of the script being entry k)
or a ``.py`` file holding the script itself (seed 0), named by its file stem
and described by the comment block it starts with (each line without its
``#`` and one space; a ``#!`` first line is skipped). The script runs on the
CPU with ``torch``, ``nn`` (torch.nn) and ``F`` (torch.nn.functional) in
scope, in a fresh namespace, compiled with the model path as its file name.

The run document (written to OUT.json, or stdout without -o) is:

    {"format": "autograd-viz/run-1",
     "producer": "torch X.Y.Z",          # torch.__version__ without "+local"
     "tensors": {NAME: TENSOR, ...},     # top-level names, sorted
     "stdout": [LINE, ...],
     "error": null | {"type", "message", "line", "column",
                      "traceback": [FRAME, ...]},
     "backward": [CALL, ...],
     "warnings": [TEXT, ...]}

    TENSOR = {"shape": [..], "dtype": "float32", "requires_grad": b,
              "is_leaf": b, "grad_fn": "MulBackward0" | null,
              "value": VALUE, "grad": VALUE | null}
    FRAME  = {"name": "<module>" | "forward" | ..., "line": N, "column": N}
    CALL   = {"index": 1, "line": N, "source": "loss.backward()",
              "kind": "backward" | "autograd.grad",   # torch.autograd.backward counts as "backward"
              "retain_graph": b, "create_graph": b,
              "raised": null | "RuntimeError",
              "graph_before": [GRAPH_NODE, ...],   # see graph_structure()
              "tensors_after": {NAME: TENSOR, ...}}

Rules, shared with the Swift tool so the two documents can be compared:

* ``tensors`` holds every ``torch.Tensor`` (nn.Parameter included) bound to a
  top-level name when the script ends or stops on an error, and for every
  ``nn.Module`` bound to one, its ``named_parameters()`` and
  ``named_buffers()`` under ``NAME.`` + their names (``model.0.weight``,
  ``bn.running_mean``); the keys are sorted as Python sorts strings. VALUE is a bare
  number for a 0-d tensor and a nested row-major list otherwise; floats are
  the exact value of the element (``json.dumps(float(x))``), NaN and
  infinities are the strings "nan", "inf", "-inf", int64 elements are
  integers and bool elements true/false. ``grad`` is read without the
  non-leaf UserWarning. dtype is ``str(t.dtype)`` without "torch.".
* ``stdout`` is what the script printed, split on "\\n", without the empty
  string after a final newline. Memory addresses are normalised: every match
  of ``0x[0-9a-f]+`` is replaced, in order of first appearance, by the k-th
  deterministic address (k = 0, 1, ...) ``"0x%x" % (0x7f0000000000 + 16*k)``;
  the same text always maps to the same address. The table is shared by the
  whole run: stdout first, then the error message, then the warnings.
* ``error``: ``type(e).__name__`` and ``str(e)`` of the exception that stopped
  the script ("" for a bare ``assert``), at the 1-based line and column of
  the failing expression: the last traceback frame that belongs to the
  script, column = ``colno + 1`` with ``colno`` turned from a UTF-8 byte
  offset into a character offset (when Python has no column, the column of
  the first non-blank character of the line). ``traceback`` lists the
  traceback's frames that belong to the script (filename == the model
  path; torch's and this tool's are left out), outermost first, each as
  ``{"name": co_name ("<module>", "forward", "<lambda>", ...), "line",
  "column"}`` by the same rule, so its last entry is the error's position.
  The script's frames have the depth they would have under ``python3
  script.py`` (the recursion limit is raised by this tool's own frames), so
  a RecursionError's traceback does not depend on this tool. A SyntaxError
  reports ``e.msg`` (its ``str`` would name the file) at
  ``e.lineno``/``e.offset``, with an empty traceback (no frame ran).
* ``backward`` has one CALL per call of ``Tensor.backward``,
  ``torch.autograd.grad`` or ``torch.autograd.backward`` made directly by the
  script (calls torch makes internally are not counted), in call order.
  ``line``/``source`` are the calling line and its stripped text;
  ``retain_graph`` is the effective value (None means ``create_graph``).
  ``raised`` names the exception when the call itself failed (the script then
  stops there). ``tensors_after`` is ``tensors`` taken right after the call
  returned (or failed).
* ``warnings`` lists ``"Category: message"`` of every warning the script
  raised, each distinct text once, in order of first appearance. Warnings
  never stop a script. In anomaly mode's "Error detected in X. Traceback of
  forward call that caused the error:" only the script's own frames are
  kept (not this tool's, nor torch's inside a module's forward), and each
  names the script by its file name alone (``File "mlp.json", line 5, in
  <module>``), so the text does not depend on where the script lives.

Random numbers: torch's random functions are replaced by ONE SplitMix64
generator (see ``SplitMix64``), seeded with the model's "seed" (default 0) and
re-seeded by ``torch.manual_seed(n)`` (state = n mod 2**64):

* ``torch.rand``/``rand_like``: one ``uniform()`` per element;
  ``torch.randn``/``randn_like``: one ``normal()`` (two uniforms) per
  element; ``torch.randint(low=0, high, size)``:
  ``low + floor(uniform() * (high - low))``. Elements are drawn in row-major
  order as doubles, then rounded to the result dtype (default float32,
  int64 for randint).
* ``nn.Linear(in, out)``: the weight (out x in, row-major) then the bias,
  each element ``(2 * uniform() - 1) / sqrt(in)``, rounded to the dtype.
* Dropout in training (``F.dropout``, ``nn.Dropout``), as CPU PyTorch does
  it: with p == 0 the input itself is returned and with p == 1 it is
  multiplied by a 0-d zero, drawing nothing; otherwise one ``uniform()`` per
  element, row-major, the element kept when ``uniform() >= p``, and the
  result is ``input * noise`` with ``noise = keep / (1 - p)`` computed in the
  input's dtype (so its grad_fn is MulBackward0, as in PyTorch).

Every other random source (``Tensor.uniform_``, ``torch.randperm``,
``nn.init``, other modules' initialisers, ...) still uses torch's own
generator; it is seeded with the model's seed too, so runs stay
reproducible, but the Swift tool does not reproduce those numbers. Explicit
``generator=`` or ``out=`` arguments to the replaced functions are refused.
torch runs on one thread so reductions are reproducible.

Exit status: 0 when the document was written (a script that raised included:
the exception is recorded in "error"), 1 when torch cannot be imported,
2 on a usage error or an unreadable or malformed model file.
"""

from __future__ import annotations

import argparse
import builtins
import contextlib
import functools
import inspect
import io
import json
import linecache
import math
import re
import sys
import traceback
import warnings
import weakref
from typing import Any, Callable

FORMAT = "autograd-viz/run-1"
MASK64 = (1 << 64) - 1
ADDRESS = re.compile(r"0x[0-9a-f]+")
ADDRESS_BASE = 0x7F0000000000
NONFINITE = ("nan", "inf", "-inf")


class UsageError(Exception):
    """A bad command line or model file: reported on one line, exit 2."""


# --------------------------------------------------------------------------
# The model file


class Model:
    """A model script: its source lines, seed, the path it came from, and its
    name and description (see ``load_model``)."""

    def __init__(self, path: str, lines: list[str], seed: int, name: str, description: str | None = None):
        self.path = path
        self.lines = lines
        self.seed = seed
        self.name = name
        self.description = description

    @property
    def source(self) -> str:
        return "\n".join(self.lines) + "\n"


def file_stem(path: str) -> str:
    """The file name without its directory and its last extension."""
    base = path.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base[1:] else base


def header_comment(lines: list[str]) -> str | None:
    """The comment block a ``.py`` script starts with, as its description:
    the leading lines that start with ``#`` (a ``#!`` line excepted), each
    without the ``#`` and one space after it, joined by newlines; None when
    the script does not start with a comment."""
    kept: list[str] = []
    for k, line in enumerate(lines):
        text = line.strip()
        if not text.startswith("#"):
            break
        if k == 0 and text.startswith("#!"):
            continue
        text = text[1:]
        kept.append(text[1:] if text.startswith(" ") else text)
    return "\n".join(kept) if kept else None


def load_model(path: str) -> Model:
    """Read a model file (.json) or a bare script (.py); UsageError if bad.

    A JSON model is named by its "name" (the file stem when absent) and
    described by its "description"; a ``.py`` script is named by its file
    stem and described by the comment block it starts with
    (``header_comment``)."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"cannot read model file {path}: {e}") from None
    if path.endswith(".py"):
        lines = text.splitlines()
        return Model(path, lines, 0, file_stem(path), header_comment(lines))

    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise UsageError(f"{path}: not valid JSON: {e}") from None
    if not isinstance(doc, dict):
        raise UsageError(f"{path}: a model file must be a JSON object")
    if "code" not in doc:
        raise UsageError(f'{path}: missing "code"')
    code = doc["code"]
    if isinstance(code, str):
        lines = code.splitlines()
    elif isinstance(code, list) and all(isinstance(s, str) for s in code):
        # Line k of the script is entry k, so an entry may not hold a newline.
        for k, entry in enumerate(code, start=1):
            if "\n" in entry or "\r" in entry:
                raise UsageError(f'{path}: "code" entry {k} contains a line break')
        lines = list(code)
    else:
        raise UsageError(f'{path}: "code" must be a string or an array of strings')
    seed = doc.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise UsageError(f'{path}: "seed" must be an integer')
    if not -(1 << 63) <= seed <= MASK64:
        raise UsageError(f'{path}: "seed" must be in [-2**63, 2**64)')
    for key in ("name", "description"):
        if key in doc and not isinstance(doc[key], str):
            raise UsageError(f'{path}: "{key}" must be a string')
    return Model(path, lines, seed, doc.get("name", file_stem(path)), doc.get("description"))


# --------------------------------------------------------------------------
# The generator


class SplitMix64:
    """The one random generator shared with the Swift engine.

    All arithmetic is modulo 2**64. Evaluation order matters for bit-exact
    doubles: ``normal`` computes ``sqrt((-2.0) * log(1.0 - u1)) *
    cos((2.0 * pi) * u2)``.
    """

    def __init__(self, seed: int = 0):
        self.state = seed & MASK64

    def seed(self, seed: int) -> None:
        self.state = seed & MASK64

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def uniform(self) -> float:
        """A double in [0, 1) with 53 random bits."""
        return (self.next() >> 11) * 2.0**-53

    def normal(self) -> float:
        """Box-Muller from two uniforms; the second value is not cached."""
        u1 = self.uniform()
        u2 = self.uniform()
        return math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(2.0 * math.pi * u2)


# --------------------------------------------------------------------------
# Replacing torch's random functions


class RandomPatches:
    """Context manager that routes torch's random functions to a SplitMix64.

    Each replaced factory first calls the original with the same arguments,
    so argument checking, error texts, the result's shape, dtype and
    requires_grad stay PyTorch's; only the values are then drawn from the
    generator into a fresh tensor (version 0, not a view).
    """

    def __init__(self, torch: Any, seed: int):
        self.torch = torch
        self.gen = SplitMix64(seed)
        self._saved: list[tuple[Any, str, Any]] = []

    # -- helpers ----------------------------------------------------------

    def _fresh(self, flat: list, shape: Any, dtype: Any, requires_grad: bool, src_dtype: Any):
        torch = self.torch
        t = torch.tensor(flat, dtype=src_dtype).reshape(shape)
        # .to() of another dtype copies; clone() makes a same-dtype result a
        # fresh tensor rather than a view of the flat one.
        t = t.to(dtype) if dtype != src_dtype else t.clone()
        if requires_grad:
            t.requires_grad_(True)
        return t

    @staticmethod
    def _refuse(name: str, kwargs: dict) -> None:
        for key in ("generator", "out"):
            if kwargs.get(key) is not None:
                raise NotImplementedError(
                    f"torch_reference: {name}({key}=...) is not supported: "
                    "all random numbers come from the one SplitMix64 generator"
                )

    def _factory(self, name: str, orig: Callable, draw: Callable[[], float]) -> Callable:
        torch = self.torch

        @functools.wraps(orig)
        def factory(*args, **kwargs):
            self._refuse(name, kwargs)
            proto = orig(*args, **kwargs)
            flat = [draw() for _ in range(proto.numel())]
            return self._fresh(flat, proto.shape, proto.dtype, proto.requires_grad, torch.float64)

        return factory

    def _randint(self, orig: Callable) -> Callable:
        torch = self.torch

        @functools.wraps(orig)
        def randint(*args, **kwargs):
            self._refuse("randint", kwargs)
            proto = orig(*args, **kwargs)  # validates the call
            pos = list(args)
            if "size" not in kwargs:
                pos.pop()
            if "high" in kwargs:
                high = kwargs["high"]
                low = pos[0] if pos else kwargs.get("low", 0)
            elif len(pos) >= 2:
                low, high = pos[0], pos[1]
            else:
                high = pos[0]
                low = kwargs.get("low", 0)
            low, high = int(low), int(high)
            span = float(high - low)
            flat = [low + math.floor(self.gen.uniform() * span) for _ in range(proto.numel())]
            return self._fresh(flat, proto.shape, proto.dtype, proto.requires_grad, torch.int64)

        return randint

    def _manual_seed(self, orig: Callable) -> Callable:
        @functools.wraps(orig)
        def manual_seed(seed):
            result = orig(seed)  # validates, and seeds torch's own generator
            self.gen.seed(int(seed))
            return result

        return manual_seed

    def _linear_reset(self) -> Callable:
        torch, gen = self.torch, self.gen

        def reset_parameters(module) -> None:
            fan_in = module.in_features
            denom = math.sqrt(fan_in)

            def draw() -> float:
                u = gen.uniform()
                return (2.0 * u - 1.0) / denom if fan_in > 0 else 0.0

            with torch.no_grad():
                for param in (module.weight, module.bias):
                    if param is None:
                        continue
                    flat = [draw() for _ in range(param.numel())]
                    values = torch.tensor(flat, dtype=torch.float64).reshape(param.shape)
                    param.copy_(values.to(param.dtype))

        reset_parameters.__doc__ = "Weight then bias, each (2*uniform()-1)/sqrt(in_features)."
        return reset_parameters

    def _dropout(self) -> Callable:
        torch, gen = self.torch, self.gen

        def dropout(input, p: float = 0.5, training: bool = True, inplace: bool = False):
            if p < 0.0 or p > 1.0:
                raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
            # Mirrors ATen's CPU _dropout_impl (not the fused native_dropout).
            if p == 0 or not training or input.numel() == 0:
                return input
            if p == 1:
                zero = torch.zeros((), dtype=input.dtype)
                return input.mul_(zero) if inplace else input * zero
            keep = [1.0 if gen.uniform() >= p else 0.0 for _ in range(input.numel())]
            noise = torch.tensor(keep, dtype=input.dtype).reshape(input.shape)
            noise.div_(1 - p)
            return input.mul_(noise) if inplace else input * noise

        return dropout

    # -- install / restore --------------------------------------------------

    def _set(self, owner: Any, attr: str, value: Any) -> None:
        self._saved.append((owner, attr, getattr(owner, attr)))
        setattr(owner, attr, value)

    def __enter__(self) -> "RandomPatches":
        torch = self.torch
        nn, F = torch.nn, torch.nn.functional
        gen = self.gen
        torch.manual_seed(self.gen.state)  # torch's own generator, for unpatched sources
        seed = self._manual_seed(torch.manual_seed)
        self._set(torch, "manual_seed", seed)
        self._set(torch.random, "manual_seed", seed)
        self._set(torch, "rand", self._factory("rand", torch.rand, gen.uniform))
        self._set(torch, "rand_like", self._factory("rand_like", torch.rand_like, gen.uniform))
        self._set(torch, "randn", self._factory("randn", torch.randn, gen.normal))
        self._set(torch, "randn_like", self._factory("randn_like", torch.randn_like, gen.normal))
        self._set(torch, "randint", self._randint(torch.randint))
        self._set(nn.Linear, "reset_parameters", self._linear_reset())
        dropout = self._dropout()

        def dropout_forward(module, input):
            return dropout(input, module.p, module.training, module.inplace)

        self._set(F, "dropout", dropout)
        self._set(nn.Dropout, "forward", dropout_forward)
        return self

    def __exit__(self, *exc: Any) -> None:
        while self._saved:
            owner, attr, value = self._saved.pop()
            setattr(owner, attr, value)


# --------------------------------------------------------------------------
# Snapshots of tensors


def json_scalar(x: Any) -> Any:
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if isinstance(x, (bool, int)) or x is None:
        return x
    if isinstance(x, complex):
        return [json_scalar(x.real), json_scalar(x.imag)]
    return str(x)


def json_value(v: Any) -> Any:
    if isinstance(v, list):
        return [json_value(e) for e in v]
    return json_scalar(v)


def tensor_value(t: Any) -> Any:
    try:
        if t._is_zerotensor():  # no storage to read; its values are zeros
            t = t.clone()
        return json_value(t.detach().cpu().tolist())
    except Exception as e:  # meta, sparse, ... tensors: say why instead
        return f"<unreadable: {type(e).__name__}>"


def describe_tensor(t: Any) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the non-leaf .grad UserWarning
        grad = t.grad
    try:
        is_leaf, grad_fn = bool(t.is_leaf), type(t.grad_fn).__name__ if t.grad_fn is not None else None
    except RuntimeError:
        # A view whose base was written in place after it was made under
        # no_grad or by unbind: reading its grad_fn raises, and PyTorch's
        # repr says grad_fn=<Invalid>. autograd-viz's run document keeps the
        # view's stale node instead; the comparers skip is_leaf and grad_fn
        # of such a tensor.
        is_leaf, grad_fn = False, "Invalid"
    return {
        "shape": list(t.shape),
        "dtype": str(t.dtype).removeprefix("torch."),
        "requires_grad": bool(t.requires_grad),
        "is_leaf": is_leaf,
        "grad_fn": grad_fn,
        "value": tensor_value(t),
        "grad": tensor_value(grad) if grad is not None else None,
    }


def snapshot(torch: Any, namespace: dict) -> dict:
    """Every tensor bound to a top-level name, and the parameters and buffers
    of every nn.Module bound to one (``NAME.`` + its ``named_parameters()`` /
    ``named_buffers()`` names), sorted by name."""
    found: list[tuple[str, Any]] = []
    for name, value in namespace.items():
        if isinstance(value, torch.Tensor):
            found.append((name, value))
        elif isinstance(value, torch.nn.Module):
            found.extend((f"{name}.{key}", t) for key, t in value.named_parameters())
            found.extend((f"{name}.{key}", t) for key, t in value.named_buffers())
    return {name: describe_tensor(t) for name, t in sorted(found, key=lambda item: item[0])}


# --------------------------------------------------------------------------
# Recording backward calls


def call_roots(torch: Any, kind: str, args: tuple, kwargs: dict) -> list:
    """The tensors a backward call starts from."""
    if args:
        roots = args[0]
    else:
        roots = kwargs.get("outputs" if kind == "autograd.grad" else "tensors", kwargs.get("self"))
    if isinstance(roots, torch.Tensor):
        return [roots]
    return [r for r in (roots or []) if isinstance(r, torch.Tensor)]


def graph_structure(torch: Any, roots: list, memo: Any = None) -> list:
    """The backward graph reachable from ``roots`` in a canonical form both
    tools can produce: nodes numbered in depth-first preorder (roots in order,
    ``next_functions`` in order), each ``{"name", "next": [[k | None,
    input_nr], ...], "saved": [names of the tensors it saved], "variable":
    shape (AccumulateGrad only)}``.

    Saved names, sorted: a built-in node's are the X of its ``_raw_saved_X``
    attributes that hold a tensor (not None; a freed one counts as saved); a
    custom ``torch.autograd.Function``'s are ``saved_tensors[k]`` for each
    k-th tensor it saved with ``ctx.save_for_backward`` (None entries left
    out). Saved tensors are read packed, never unpacked, so the script's
    saved-tensor unpack hooks do not run. Once freed, a custom node no
    longer says what it saved: ``memo`` (a WeakKeyDictionary kept across
    calls) remembers its names from an earlier look, else it has none."""
    order: dict = {}
    nodes: list = []
    custom = torch.autograd.function.BackwardCFunction

    def builtin_saved(fn: Any, attr: str) -> bool:
        try:
            raw = getattr(fn, attr)
        except RuntimeError:  # freed by an earlier backward (a list of saved tensors)
            return True
        if isinstance(raw, (list, tuple)) or raw.data is not None:
            return True
        # No packed value: never saved (None, and no hook runs) or freed (raises).
        try:
            return getattr(fn, "_saved_" + attr[len("_raw_saved_"):]) is not None
        except RuntimeError:
            return True

    def saved_names(fn: Any) -> list:
        if isinstance(fn, custom):
            try:
                raw = fn._raw_saved_tensors
            except RuntimeError:  # freed by an earlier backward
                return memo.get(fn, []) if memo is not None else []
            names = sorted(f"saved_tensors[{k}]" for k, r in enumerate(raw) if r.data is not None)
            if memo is not None:
                memo[fn] = names
            return names
        return sorted(attr[len("_raw_saved_"):] for attr in dir(fn)
                      if attr.startswith("_raw_saved_") and builtin_saved(fn, attr))

    stack = [r.grad_fn for r in reversed(roots) if r.grad_fn is not None]
    while stack:
        fn = stack.pop()
        if fn in order:
            continue
        order[fn] = len(nodes)
        entry = {"name": type(fn).__name__, "next": [], "saved": saved_names(fn)}
        if hasattr(fn, "variable"):
            entry["variable"] = list(fn.variable.shape)
        nodes.append((fn, entry))
        stack.extend(f for f, _ in reversed(fn.next_functions) if f is not None)
    for fn, entry in nodes:
        entry["next"] = [[order[f] if f is not None else None, i] for f, i in fn.next_functions]
    return [entry for _, entry in nodes]


class BackwardRecorder:
    """Wraps Tensor.backward, torch.autograd.grad and torch.autograd.backward.

    Only calls whose immediate caller is the script are recorded, so
    Tensor.backward's own call of torch.autograd.backward is not counted.
    """

    def __init__(self, torch: Any, model: Model, namespace: dict):
        self.torch = torch
        self.model = model
        self.namespace = namespace
        self.calls: list[dict] = []
        self._saved: list[tuple[Any, str, Any]] = []
        self.saved_memo = weakref.WeakKeyDictionary()  # see graph_structure

    def _wrap(self, kind: str, orig: Callable, flags_from: Callable) -> Callable:
        sig = inspect.signature(flags_from)

        @functools.wraps(orig)
        def wrapper(*args, **kwargs):
            caller = sys._getframe(1)
            if caller.f_code.co_filename != self.model.path:
                return orig(*args, **kwargs)
            try:
                bound = sig.bind(*args, **kwargs)
                bound.apply_defaults()
                create = bool(bound.arguments.get("create_graph"))
                retain = bound.arguments.get("retain_graph")
                retain = create if retain is None else bool(retain)
            except TypeError:  # the call itself will raise PyTorch's TypeError
                create = bool(kwargs.get("create_graph", False))
                retain = kwargs.get("retain_graph")
                retain = create if retain is None else bool(retain)
            line = caller.f_lineno
            source = self.model.lines[line - 1].strip() if 0 < line <= len(self.model.lines) else ""
            entry = {
                "index": len(self.calls) + 1,
                "line": line,
                "source": source,
                "kind": kind,
                "retain_graph": retain,
                "create_graph": create,
                "raised": None,
                "graph_before": graph_structure(self.torch, call_roots(self.torch, kind, args, kwargs), self.saved_memo),
            }
            self.calls.append(entry)
            try:
                return orig(*args, **kwargs)
            except BaseException as e:
                entry["raised"] = type(e).__name__
                raise
            finally:
                entry["tensors_after"] = snapshot(self.torch, self.namespace)

        return wrapper

    def __enter__(self) -> "BackwardRecorder":
        torch = self.torch
        for owner, attr, kind in (
            (torch.Tensor, "backward", "backward"),
            (torch.autograd, "grad", "autograd.grad"),
            (torch.autograd, "backward", "backward"),
        ):
            orig = getattr(owner, attr)
            self._saved.append((owner, attr, orig))
            setattr(owner, attr, self._wrap(kind, orig, orig))
        return self

    def __exit__(self, *exc: Any) -> None:
        while self._saved:
            owner, attr, value = self._saved.pop()
            setattr(owner, attr, value)


# --------------------------------------------------------------------------
# Running a script


class AddressTable:
    """Replaces memory addresses by deterministic ones, first come first served."""

    def __init__(self):
        self.table: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        def sub(m: re.Match) -> str:
            key = m.group(0)
            if key not in self.table:
                self.table[key] = "0x%x" % (ADDRESS_BASE + 16 * len(self.table))
            return self.table[key]

        return ADDRESS.sub(sub, text)


def char_column(line_text: str, byte_offset: int) -> int:
    """A 0-based UTF-8 byte offset in a line as a 0-based character offset."""
    return len(line_text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


def frame_position(frame: traceback.FrameSummary, model: Model) -> tuple[int | None, int]:
    """Line and column (1-based) of a frame's current expression: ``colno +
    1`` with ``colno`` turned from a UTF-8 byte offset into characters, or
    the line's first non-blank character when Python gives no column."""
    line = frame.lineno
    text = model.lines[line - 1] if line and 0 < line <= len(model.lines) else ""
    colno = getattr(frame, "colno", None)
    if colno is None:
        return line, len(text) - len(text.lstrip()) + 1
    return line, char_column(text, colno) + 1


def script_frames(exc: BaseException, model: Model) -> list[dict]:
    """The traceback's frames that belong to the script, outermost first:
    ``{"name": co_name, "line", "column"}``."""
    frames = []
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename != model.path:
            continue
        line, column = frame_position(frame, model)
        frames.append({"name": frame.name, "line": line, "column": column})
    return frames


def error_document(exc: BaseException, model: Model) -> dict:
    """The document's ``error``: type, message, and the position of the
    script's last frame in the traceback (None, None when none is the
    script's), then that traceback of the script's frames."""
    frames = script_frames(exc, model)
    line, column = (frames[-1]["line"], frames[-1]["column"]) if frames else (None, None)
    return {"type": type(exc).__name__, "message": str(exc), "line": line, "column": column, "traceback": frames}


def frame_depth() -> int:
    """How many Python frames are on the stack of the caller."""
    depth, frame = 0, sys._getframe(1)
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    return depth


ANOMALY_TRACE = re.compile(
    r"(Traceback of forward call that caused the error:\n)((?:  File .*\n(?:    .*\n)?)+)( \(Triggered internally at )"
)
FRAME = re.compile(r'  File "(?P<file>[^"]*)", line (?P<line>\d+), in (?P<func>[^\n]*)\n(?P<source>    [^\n]*\n)?')


def normalise_anomaly_trace(text: str, model: Model) -> str:
    """Keep only the script's own frames in anomaly mode's "Traceback of
    forward call" (not torch_reference.py's, nor torch's inside a module),
    each naming the script by its file name alone."""

    def frames(m: re.Match) -> str:
        kept = []
        for f in FRAME.finditer(m.group(2)):
            if f.group("file") == model.path:
                name = model.path.rsplit("/", 1)[-1]
                kept.append(f'  File "{name}", line {f.group("line")}, in {f.group("func")}\n{f.group("source") or ""}')
        return m.group(1) + "".join(kept) + m.group(3)

    return ANOMALY_TRACE.sub(frames, text)


def stdout_lines(text: str) -> list[str]:
    if text == "":
        return []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def run(model: Model) -> dict:
    """Run the script under PyTorch and return the run document."""
    import torch

    torch.set_num_threads(1)
    # Make the script's lines what tracebacks and warnings show for its file.
    linecache.cache[model.path] = (len(model.source), None, model.source.splitlines(True), model.path)
    namespace = script_namespace(torch)
    out = io.StringIO()
    error: dict | None = None
    caught: list[warnings.WarningMessage] = []
    recorder = BackwardRecorder(torch, model, namespace)
    with warnings.catch_warnings(record=True) as caught, RandomPatches(torch, model.seed), recorder:
        warnings.simplefilter("always")
        try:
            code = compile(model.source, model.path, "exec")
        except SyntaxError as e:
            error = {"type": type(e).__name__, "message": e.msg or "", "line": e.lineno, "column": e.offset,
                     "traceback": []}
        else:
            # The script's frames get the depth they would get under
            # `python3 script.py`, whose module frame is the first: a
            # RecursionError's traceback then does not depend on this tool.
            # exec() itself takes one level of the limit.
            limit = sys.getrecursionlimit()
            sys.setrecursionlimit(limit + frame_depth() + 1)
            try:
                with contextlib.redirect_stdout(out):
                    exec(code, namespace)
            except (Exception, SystemExit) as e:
                error = error_document(e, model)
            finally:
                sys.setrecursionlimit(limit)
        tensors = snapshot(torch, namespace)

    addresses = AddressTable()
    printed = stdout_lines(addresses(out.getvalue()))
    if error is not None:
        error["message"] = addresses(error["message"])
    seen: list[str] = []
    for w in caught:
        text = addresses(normalise_anomaly_trace(f"{w.category.__name__}: {w.message}", model))
        if text not in seen:
            seen.append(text)

    return {
        "format": FORMAT,
        "producer": "torch " + torch.__version__.split("+")[0],
        "tensors": tensors,
        "stdout": printed,
        "error": error,
        "backward": recorder.calls,
        "warnings": seen,
    }


# --------------------------------------------------------------------------
# Output


def render(value: Any, indent: int = 0) -> str:
    """JSON with objects one key a line (flat ones on one line) and rows of
    numbers on one line."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        if not any(isinstance(v, (list, dict)) for v in value.values()):
            # Flat objects, such as the frames of an error's traceback, stay on one line.
            return json.dumps(value, ensure_ascii=False, allow_nan=False)
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {render(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        # Rows of numbers (and bools, and the strings "nan"/"inf") stay on
        # one line; lists of lines such as "stdout" get one line each.
        if not any(isinstance(e, (list, dict)) for e in value) and (
            not all(isinstance(e, str) for e in value) or all(e in NONFINITE for e in value)
        ):
            return json.dumps(value, ensure_ascii=False, allow_nan=False)
        items = [inner + render(e, indent + 1) for e in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def script_namespace(torch: Any) -> dict[str, Any]:
    """The globals a model script runs with: torch, nn and F, as a script's
    imports would bind them (bench/run_bench.py uses the same)."""
    return {
        "__name__": "__main__",
        "__builtins__": builtins,
        "torch": torch,
        "nn": torch.nn,
        "F": torch.nn.functional,
    }


def run_with_deep_stack(model: "Model") -> Any:
    """`run(model)` on a thread with a 1 GiB stack: freeing the graph of a
    100,000-op chain (bench/deep-chain.json) recurses deeper in C than the
    main thread's 8 MiB allow, and crashed with SIGSEGV."""
    import threading

    result: dict = {}

    def target() -> None:
        try:
            result["value"] = run(model)
        except BaseException as e:  # re-raised on the calling thread
            result["error"] = e

    threading.stack_size(1 << 30)
    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def main(argv: list[str] | None = None) -> int:
    parser = Parser(
        prog="torch_reference.py",
        description="Run an autograd-viz model script under real PyTorch and write its run document.",
    )
    parser.add_argument("model", metavar="MODEL", help="model file (.json) or script (.py)")
    parser.add_argument("-o", "--output", metavar="OUT.json", help="write here instead of stdout")
    args = parser.parse_args(argv)
    try:
        model = load_model(args.model)
    except UsageError as e:
        print(f"torch_reference.py: error: {e}", file=sys.stderr)
        return 2
    try:
        import torch  # noqa: F401
    except ImportError as e:
        print(f"torch_reference.py: error: cannot import torch ({e}); pip install torch==2.15.0", file=sys.stderr)
        return 1
    text = render(run_with_deep_stack(model)) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        print(f"torch_reference.py: error: cannot write {args.output}: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
