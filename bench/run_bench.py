#!/usr/bin/env python3
"""Benchmarks of issue 6: autograd-viz against PyTorch on the same model scripts.

Usage:
    python3 bench/run_bench.py [--reps N] [--bin PATH] [--only NAME ...] [--no-torch]

(`make bench` builds the release binary first, then runs this.)

For every workload in bench/*.json (bench/render/ is a separate Swift
benchmark of the Graphviz layout, not run here) the two tools run
alternately, N repetitions each, and the table reports medians:

* exec s: the script's execution time in-process. PyTorch: a child process
  imports torch first, then times only compile + exec of the script (this
  file's --torch-child mode), so PyTorch's import time is excluded (a one-step warm-up
  of nn/optim runs first to trigger torch's lazy imports).
  autograd-viz: the Swift sources have no in-process timer yet, so this
  column is the whole-process wall time of `autograd-viz run X --tables none`
  (process start, parsing and printing included; an in-process timer is to
  come). The ratio column divides these two.
* wall s / peak RSS: whole-process wall time (perf_counter around the
  process) and maximum resident set size from `/usr/bin/time -f '%e %M'`, for both processes (the PyTorch process
  includes `import torch`). A row "(empty script)" gives each tool's baseline, and the
  +RSS columns subtract it (memory the script itself used).

PyTorch runs eagerly with torch's default thread count; random inputs come
from torch's own generator seeded with the model's seed (same shapes and
distributions as autograd-viz, not the same numbers: the bit-exact SplitMix64
patches of tools/torch_reference.py run in Python and would dominate the
timings). Standard library only (Python 3.11).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORKLOADS = [
    "scalar-chain",
    "rnn-unrolled",
    "mlp-train",
    "deep-chain",
    "train-loop-memory-200",
    "train-loop-memory",
]
EMPTY = "(empty script)"


# --------------------------------------------------------------------------
# PyTorch child: import torch, then time only the script.


def torch_child(path: str) -> int:
    import builtins
    import contextlib
    import io

    import torch

    sys.path.insert(0, os.path.join(ROOT, "tools"))
    from torch_reference import load_model  # noqa: E402  (reads the model file the same way)

    model = load_model(path)
    # Warm-up outside the timed region: the first optimizer step and the first
    # nn call trigger lazy imports (torch._dynamo etc.), i.e. import time.
    warm = torch.nn.Linear(2, 2)
    opt = torch.optim.SGD(warm.parameters(), lr=0.1)
    torch.nn.functional.cross_entropy(warm(torch.zeros(1, 2)), torch.zeros(1, dtype=torch.long)).backward()
    opt.step()
    torch.manual_seed(model.seed % (1 << 63))
    namespace = {
        "__name__": "__main__",
        "__builtins__": builtins,
        "torch": torch,
        "nn": torch.nn,
        "F": torch.nn.functional,
    }
    out = io.StringIO()
    start = time.perf_counter()
    code = compile(model.source, model.path, "exec")
    with contextlib.redirect_stdout(out):
        exec(code, namespace)
    elapsed = time.perf_counter() - start
    print(json.dumps({"exec_s": elapsed}))
    return 0


# --------------------------------------------------------------------------
# Measuring


def timed(cmd: list[str]) -> tuple[float, int, str]:
    """Run cmd under /usr/bin/time; return (wall s, peak RSS KiB, stdout)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        start = time.perf_counter()
        proc = subprocess.run(
            ["/usr/bin/time", "-o", tf.name, "-f", "%e %M"] + cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
        wall = time.perf_counter() - start  # finer than time's %e (10 ms)
        fields = tf.read().split()
    return wall, int(fields[-1]), proc.stdout


def run_swift(binary: str, path: str, extra: list[str] | None = None) -> dict:
    wall, rss, _ = timed([binary, "run", path, "--tables", "none"] + (extra or []))
    return {"exec": wall, "wall": wall, "rss": rss}


def run_torch(path: str) -> dict:
    wall, rss, out = timed([sys.executable, os.path.abspath(__file__), "--torch-child", path])
    exec_s = json.loads(out.strip().splitlines()[-1])["exec_s"]
    return {"exec": exec_s, "wall": wall, "rss": rss}


def have_torch() -> bool:
    return subprocess.run([sys.executable, "-c", "import torch"], capture_output=True).returncode == 0


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def fmt_mib(kib: float) -> str:
    return f"{kib / 1024:.1f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "autograd-viz"))
    ap.add_argument("--only", nargs="*", help="workload names (default: all)")
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("--json-out", help="also write the raw measurements here")
    ap.add_argument("--torch-child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.torch_child:
        return torch_child(args.torch_child)

    if not os.access(args.bin, os.X_OK):
        print(f"no binary at {args.bin}: run 'swift build -c release --product autograd-viz'", file=sys.stderr)
        return 2
    torch_ok = not args.no_torch and have_torch()
    if not torch_ok:
        print("PyTorch not importable: measuring autograd-viz only", file=sys.stderr)

    names = args.only or WORKLOADS
    with tempfile.TemporaryDirectory() as tmp:
        empty = os.path.join(tmp, "empty.json")
        with open(empty, "w") as f:
            json.dump({"name": "empty", "seed": 0, "code": ["pass"]}, f)
        paths = {EMPTY: empty}
        paths.update({n: os.path.join(HERE, n + ".json") for n in names})

        results: dict[str, dict[str, list[dict]]] = {}
        for name, path in paths.items():
            results[name] = {"swift": [], "torch": []}
            for rep in range(args.reps):
                print(f"  {name}: repetition {rep + 1}/{args.reps}", file=sys.stderr, flush=True)
                results[name]["swift"].append(run_swift(args.bin, path))
                if torch_ok:
                    results[name]["torch"].append(run_torch(path))

        # Snapshot cost (issue 6): mlp-train under `run --json`, default vs --snapshots none.
        snap: dict[str, list[float]] = {}
        if "mlp-train" in names:
            help_text = subprocess.run([args.bin, "run", "--help"], capture_output=True, text=True).stdout
            mlp = paths["mlp-train"]
            variants = {"run --json": ["--json"]}
            if "--snapshots" in help_text:
                variants["run --json --snapshots none"] = ["--json", "--snapshots", "none"]
            for label, extra in variants.items():
                snap[label] = []
                for _ in range(args.reps):
                    wall, _, _ = timed([args.bin, "run", mlp] + extra)
                    snap[label].append(wall)

    print()
    print(f"Medians of {args.reps} alternating repetitions; times in seconds, memory in MiB.")
    print("autograd-viz exec = whole-process wall time of `run --tables none` (no in-process timer yet).")
    print()
    header = ("| workload | autograd-viz exec | PyTorch exec | ratio av/pt | av wall | pt wall"
              " | av peak RSS | pt peak RSS | RSS ratio av/pt | av +RSS | pt +RSS | +RSS ratio av/pt |")
    base_s = median(results[EMPTY]["swift"], "rss")
    base_t = median(results[EMPTY]["torch"], "rss") if results[EMPTY]["torch"] else None
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for name, r in results.items():
        s = r["swift"]
        t = r["torch"]
        row = [name, f"{median(s, 'exec'):.3f}"]
        if t:
            row += [
                f"{median(t, 'exec'):.3f}",
                f"{median(s, 'exec') / median(t, 'exec'):.2f}" if median(t, "exec") > 0 else "-",
            ]
        else:
            row += ["-", "-"]
        row += [f"{median(s, 'wall'):.2f}", f"{median(t, 'wall'):.2f}" if t else "-"]
        row += [fmt_mib(median(s, "rss")), fmt_mib(median(t, "rss")) if t else "-"]
        row += [f"{median(s, 'rss') / median(t, 'rss'):.2f}" if t else "-"]
        ds = median(s, "rss") - base_s
        dt = median(t, "rss") - base_t if t else None
        row += [fmt_mib(ds), fmt_mib(dt) if t else "-", f"{ds / dt:.2f}" if t and dt > 0 else "-"]
        print("| " + " | ".join(row) + " |")
    if "train-loop-memory" in results and "train-loop-memory-200" in results:
        r2000 = median(results["train-loop-memory"]["swift"], "rss")
        r200 = median(results["train-loop-memory-200"]["swift"], "rss")
        print(f"\nautograd-viz train-loop-memory peak RSS, 2,000 / 200 iterations: {r2000 / r200:.2f}")
    if snap:
        print()
        for label, walls in snap.items():
            print(f"mlp-train `{label}`: {statistics.median(walls):.3f} s wall (median)")
        if len(snap) == 2:
            a, b = snap.values()
            print(f"snapshot cost ratio: {statistics.median(a) / statistics.median(b):.2f}")
        if len(snap) == 1:
            print("(`run --snapshots` does not exist yet: the snapshot-cost target cannot be measured)")
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump({"results": results, "snapshots": snap}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
