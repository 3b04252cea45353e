#!/usr/bin/env python3
"""Compare two run documents: ours (autograd-viz run --json) against PyTorch's.

Usage:
    tools/compare_runs.py OURS.json TORCH.json [--extra] [--rtol R] [--atol A]

Prints one line per difference, ``FIELD: ours=... torch=...``, and exits 1
when there is any, 0 when there is none, 2 when a document cannot be read.

Compared (PyTorch's document is the reference):

* ``stdout``: line by line, exactly (and the number of lines);
* ``error``: null or not, then ``type``, ``message``, ``line``, ``column``
  exactly, and when both documents have one, ``traceback``: the number of
  frames, then each frame's ``name``, ``line``, ``column``, counted from
  the innermost (``error.traceback[-1]`` is the error's own frame);
* ``tensors``: the same names; for each, ``shape``, ``dtype``,
  ``requires_grad``, ``is_leaf``, ``grad_fn`` exactly and ``value``/``grad``
  element by element, floats within ``|ours - torch| <= atol + rtol*|torch|``
  (defaults rtol 1e-4, atol 1e-5), "nan"/"inf"/"-inf", ints and bools
  exactly, null against a value is a difference;
* ``backward``: the number of calls, and for each ``index``, ``line``,
  ``source``, ``kind``, ``retain_graph``, ``create_graph``.

With ``--extra`` also: ``warnings`` (exactly, in order), and for each backward
call ``raised`` and ``tensors_after`` (compared like ``tensors``).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

MAX_SHOWN = 160
NONFINITE = ("nan", "inf", "-inf")


def show(v: Any) -> str:
    text = json.dumps(v, ensure_ascii=False)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


class Comparer:
    def __init__(self, rtol: float, atol: float, extra: bool):
        self.rtol = rtol
        self.atol = atol
        self.extra = extra
        self.diffs: list[str] = []

    def diff(self, field: str, ours: Any, torch: Any) -> None:
        if isinstance(ours, str) and isinstance(torch, str) and max(len(ours), len(torch)) > MAX_SHOWN:
            # Long texts (error messages, warnings): show them from just
            # before the first character that differs.
            k = 0
            while k < min(len(ours), len(torch)) and ours[k] == torch[k]:
                k += 1
            start = max(0, k - 40)
            field = f"{field} (from char {start})"
            ours, torch = ours[start:], torch[start:]
        self.diffs.append(f"{field}: ours={show(ours)} torch={show(torch)}")

    # -- values ------------------------------------------------------------

    def _elements_differ(self, ours: Any, torch: Any) -> str | None:
        """None when equal within tolerance, else a short reason."""
        if isinstance(torch, list) or isinstance(ours, list):
            if not (isinstance(torch, list) and isinstance(ours, list)):
                return "nesting differs"
            if len(ours) != len(torch):
                return f"length {len(ours)} vs {len(torch)}"
            for k, (o, t) in enumerate(zip(ours, torch)):
                reason = self._elements_differ(o, t)
                if reason is not None:
                    return f"[{k}]{reason}" if reason.startswith("[") else f"[{k}] {reason}"
            return None
        if isinstance(torch, bool) or isinstance(ours, bool):
            return None if (type(ours) is type(torch) and ours == torch) else f"{show(ours)} vs {show(torch)}"
        if isinstance(torch, str) or isinstance(ours, str):
            return None if ours == torch else f"{show(ours)} vs {show(torch)}"
        if isinstance(torch, (int, float)) and isinstance(ours, (int, float)):
            if isinstance(torch, int) and isinstance(ours, int):
                return None if ours == torch else f"{ours} vs {torch}"
            o, t = float(ours), float(torch)
            if math.isfinite(o) and math.isfinite(t) and abs(o - t) <= self.atol + self.rtol * abs(t):
                return None
            if o == t:
                return None
            return f"{ours!r} vs {torch!r}"
        if ours is None and torch is None:
            return None
        if isinstance(ours, dict) and isinstance(torch, dict):  # summaries
            return None if ours == torch else "summary differs"
        return f"{show(ours)} vs {show(torch)}"

    def value(self, field: str, ours: Any, torch: Any) -> None:
        if ours is None or torch is None:
            if ours is not torch:
                self.diff(field, ours, torch)
            return
        reason = self._elements_differ(ours, torch)
        if reason is not None:
            self.diffs.append(f"{field}: {reason}; ours={show(ours)} torch={show(torch)}")

    # -- sections ----------------------------------------------------------

    def tensors(self, prefix: str, ours: dict | None, torch: dict | None) -> None:
        ours = ours or {}
        torch = torch or {}
        for name in sorted(set(ours) - set(torch)):
            self.diff(f"{prefix}.{name}", "present", "absent")
        for name in sorted(set(torch) - set(ours)):
            self.diff(f"{prefix}.{name}", "absent", "present")
        for name in sorted(set(ours) & set(torch)):
            o, t = ours[name], torch[name]
            for key in ("shape", "dtype", "requires_grad", "is_leaf", "grad_fn"):
                # PyTorch cannot read the grad_fn of a view whose base was
                # written after it was made under no_grad or by unbind
                # (torch_reference.py says "Invalid"): nothing to compare.
                if key in ("is_leaf", "grad_fn") and t.get("grad_fn") == "Invalid":
                    continue
                if o.get(key) != t.get(key):
                    self.diff(f"{prefix}.{name}.{key}", o.get(key), t.get(key))
            for key in ("value", "grad"):
                self.value(f"{prefix}.{name}.{key}", o.get(key), t.get(key))

    def stdout(self, ours: list, torch: list) -> None:
        if len(ours) != len(torch):
            self.diff("stdout.lines", len(ours), len(torch))
        for k in range(max(len(ours), len(torch))):
            o = ours[k] if k < len(ours) else None
            t = torch[k] if k < len(torch) else None
            if o != t:
                self.diff(f"stdout[{k + 1}]", o, t)

    def error(self, ours: dict | None, torch: dict | None) -> None:
        if ours is None or torch is None:
            if ours is not torch:
                self.diff("error", ours, torch)
            return
        for key in ("type", "message", "line", "column"):
            if ours.get(key) != torch.get(key):
                self.diff(f"error.{key}", ours.get(key), torch.get(key))
        if "traceback" in ours and "traceback" in torch:
            self.traceback(ours["traceback"] or [], torch["traceback"] or [])

    def traceback(self, ours: list, torch: list) -> None:
        if len(ours) != len(torch):
            self.diff("error.traceback.frames", len(ours), len(torch))
        # Frame k counts from the error's end: a recursion that stopped at
        # another depth still shows where the frames differ.
        for k in range(1, min(len(ours), len(torch)) + 1):
            o, t = ours[-k], torch[-k]
            for key in ("name", "line", "column"):
                if o.get(key) != t.get(key):
                    self.diff(f"error.traceback[-{k}].{key}", o.get(key), t.get(key))

    def backward(self, ours: list, torch: list) -> None:
        if len(ours) != len(torch):
            self.diff("backward.count", len(ours), len(torch))
        keys = ["index", "line", "source", "kind", "retain_graph", "create_graph"]
        if self.extra:
            keys.append("raised")
        for k in range(min(len(ours), len(torch))):
            o, t = ours[k], torch[k]
            for key in keys:
                if o.get(key) != t.get(key):
                    self.diff(f"backward[{k + 1}].{key}", o.get(key), t.get(key))
            if self.extra:
                self.tensors(f"backward[{k + 1}].tensors_after", o.get("tensors_after"), t.get("tensors_after"))
            if "graph_before" in t and "before" in o:
                ours_graph = graph_structure(o)
                for n in range(max(len(ours_graph), len(t["graph_before"]))):
                    a = ours_graph[n] if n < len(ours_graph) else None
                    b = t["graph_before"][n] if n < len(t["graph_before"]) else None
                    if a != b:
                        self.diff(f"backward[{k + 1}].graph_before[{n}]", a, b)

    def warnings(self, ours: list, torch: list) -> None:
        if len(ours) != len(torch):
            self.diff("warnings.count", len(ours), len(torch))
        for k in range(max(len(ours), len(torch))):
            o = ours[k] if k < len(ours) else None
            t = torch[k] if k < len(torch) else None
            if o != t:
                self.diff(f"warnings[{k + 1}]", o, t)

    def run(self, ours: dict, torch: dict) -> list[str]:
        if ours.get("format") != torch.get("format"):
            self.diff("format", ours.get("format"), torch.get("format"))
        self.stdout(ours.get("stdout") or [], torch.get("stdout") or [])
        self.error(ours.get("error"), torch.get("error"))
        self.tensors("tensors", ours.get("tensors"), torch.get("tensors"))
        self.backward(ours.get("backward") or [], torch.get("backward") or [])
        if self.extra:
            self.warnings(ours.get("warnings") or [], torch.get("warnings") or [])
        return self.diffs


def graph_structure(call: dict) -> list:
    """Our ``before`` snapshot in torch_reference.py's canonical form
    (``graph_structure`` there): function nodes in depth-first preorder from
    the roots, with edges, saved tensor names and AccumulateGrad leaf shapes."""
    by_id = {n["id"]: n for n in call["before"]["nodes"]}
    stack = [by_id[r]["grad_fn"] for r in reversed(call.get("roots", [])) if by_id.get(r, {}).get("grad_fn")]
    order: dict = {}
    visited: list = []
    while stack:
        fid = stack.pop()
        if fid in order or fid not in by_id:
            continue
        order[fid] = len(visited)
        visited.append(fid)
        stack += [e[0] for e in reversed(by_id[fid]["next_functions"]) if e[0]]
    out = []
    for fid in visited:
        node = by_id[fid]
        entry = {"name": node["name"],
                 "next": [[order.get(f) if f else None, i] for f, i in node["next_functions"]],
                 "saved": sorted({s["name"] for s in node["saved"]})}
        if "variable" in node:
            entry["variable"] = by_id[node["variable"]]["shape"]
        out.append(entry)
    return out


def load(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        print(f"compare_runs: cannot read {path}: {e}", file=sys.stderr)
        sys.exit(2)
    if not isinstance(doc, dict):
        print(f"compare_runs: {path} is not a run document", file=sys.stderr)
        sys.exit(2)
    return doc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ours")
    parser.add_argument("torch")
    parser.add_argument("--extra", action="store_true",
                        help="also compare warnings and backward raised/tensors_after")
    parser.add_argument("--rtol", type=float, default=1e-4)
    parser.add_argument("--atol", type=float, default=1e-5)
    args = parser.parse_args()
    diffs = Comparer(args.rtol, args.atol, args.extra).run(load(args.ours), load(args.torch))
    for line in diffs:
        print(line)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
