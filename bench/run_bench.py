#!/usr/bin/env python3
"""Benchmarks of issue 6: autograd-viz against PyTorch on the same model scripts.

Usage:
    python3 bench/run_bench.py [--reps N] [--bin PATH] [--only NAME ...] [--no-torch]

(`make bench` builds the release binary first, then runs this.)

Every workload in bench/*.json and bench/*.py runs under autograd-viz and PyTorch
alternately, N repetitions each; the table reports medians:

* exec s: the script's execution, timed in-process on both sides.
  autograd-viz: `run X --tables none --timing` prints `timing: execute S s`
  (the script, its backward calls, nothing recorded: a plain run takes no
  snapshots). PyTorch: a child process imports torch and runs a one-step
  nn/optim warm-up first (torch's lazy imports), then times compile + exec
  of the script (this file's --torch-child mode). The ratio column divides
  the two.
* wall s / peak RSS: the whole process (perf_counter around it) and its
  maximum resident set size (`/usr/bin/time -f %M`); the PyTorch process
  includes `import torch`. A row "(empty script)" gives each tool's baseline,
  and the +RSS columns subtract it: the memory the script itself used.

Then: the cost of snapshots (mlp-train and train-loop-memory under
`run --json`, default `--snapshots first-last` against `--snapshots none`),
and render: generated chains of about 100, 1,000 and 5,000 graph nodes drawn
to SVG by `autograd-viz render --timing` (the picture time: DOT, Graphviz
layout and SVG, in-process) against torchviz's `make_dot(...).pipe("svg")`
timed in-process (`pip install torchviz graphviz`; the `dot` program it runs
comes with Debian's graphviz package). Both sides' SVGs are counted for
their nodes.

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
    "scalar-chain-fn",
    "rnn-unrolled",
    "mlp-train",
    "mlp-train-class",
    "deep-chain",
    "train-loop-memory-200",
    "train-loop-memory",
]
EMPTY = "(empty script)"


# --------------------------------------------------------------------------
# PyTorch child: import torch, then time only the script.


def torch_child(path: str) -> int:
    import contextlib
    import io

    import torch

    sys.path.insert(0, os.path.join(ROOT, "tools"))
    from torch_reference import load_model, script_namespace  # noqa: E402  (reads and runs scripts the same way)

    model = load_model(path)
    # Warm-up outside the timed region: the first optimizer step and the first
    # nn call trigger lazy imports (torch._dynamo etc.), i.e. import time.
    warm = torch.nn.Linear(2, 2)
    opt = torch.optim.SGD(warm.parameters(), lr=0.1)
    torch.nn.functional.cross_entropy(warm(torch.zeros(1, 2)), torch.zeros(1, dtype=torch.long)).backward()
    opt.step()
    torch.manual_seed(model.seed % (1 << 63))
    namespace = script_namespace(torch)
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


def timed(cmd: list[str]) -> tuple[float, int, str, str]:
    """Run cmd under /usr/bin/time; return (wall s, peak RSS KiB, stdout, stderr)."""
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
    return wall, int(fields[-1]), proc.stdout, proc.stderr


def timing(stderr: str) -> dict[str, float]:
    """The `timing: execute S s, output S s` line of --timing, as a dict."""
    line = next(l for l in stderr.splitlines() if l.startswith("timing: "))
    fields = [f.split() for f in line[len("timing: "):].split(",")]
    return {name: float(value) for name, value, _unit in fields}


def run_swift(binary: str, path: str, extra: list[str] | None = None) -> dict:
    wall, rss, _, err = timed([binary, "run", path, "--tables", "none", "--timing"] + (extra or []))
    t = timing(err)
    return {"exec": t["execute"], "output": t.get("output", 0.0), "wall": wall, "rss": rss}


def run_torch(path: str) -> dict:
    wall, rss, out, _ = timed([sys.executable, os.path.abspath(__file__), "--torch-child", path])
    exec_s = json.loads(out.strip().splitlines()[-1])["exec_s"]
    return {"exec": exec_s, "wall": wall, "rss": rss}


def have_module(name: str) -> bool:
    return subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True).returncode == 0


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def fmt_mib(kib: float) -> str:
    return f"{kib / 1024:.1f}"


def print_table(header: list[str], rows: list[list[str]]) -> None:
    """A markdown table, after a blank line."""
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


# --------------------------------------------------------------------------
# Render: generated chains, drawn by autograd-viz and by torchviz.

RENDER_SIZES = {"render ~100 nodes": 48, "render ~1,000 nodes": 498, "render ~5,000 nodes": 2498}


def render_script(ops: int) -> dict:
    """A chain of `ops` tanh calls: each adds a TanhBackward0 node and the
    result it saves, so the end graph has about 2 * ops nodes."""
    return {
        "name": f"render-chain-{ops}",
        "seed": 0,
        "code": [
            "x = torch.randn(4, requires_grad=True)",
            "y = x",
            f"for i in range({ops}):",
            "    y = y.tanh()",
            "loss = y.sum()",
        ],
    }


def svg_nodes(svg: str) -> int:
    return svg.count('class="node"')


def torchviz_child(path: str) -> int:
    import threading

    import torch
    from torchviz import make_dot

    sys.path.insert(0, os.path.join(ROOT, "tools"))
    from torch_reference import load_model, script_namespace  # noqa: E402

    model = load_model(path)
    namespace = script_namespace(torch)
    exec(compile(model.source, model.path, "exec"), namespace)
    make_dot(torch.ones(1, requires_grad=True).tanh()).pipe(format="svg")  # warm-up: imports, first dot run
    result = {}

    def draw() -> None:  # make_dot recurses once per graph node: a deep stack
        start = time.perf_counter()
        svg = make_dot(namespace["loss"], params={"x": namespace["x"]}, show_saved=True).pipe(format="svg").decode()
        result.update(picture_s=time.perf_counter() - start, nodes=svg_nodes(svg))

    sys.setrecursionlimit(200_000)
    threading.stack_size(1 << 30)
    thread = threading.Thread(target=draw)
    thread.start()
    thread.join()
    print(json.dumps(result))
    return 0


def run_render_swift(binary: str, path: str, out: str) -> dict:
    wall, rss, _, err = timed([binary, "render", path, "--at", "end", "-o", out, "--max-nodes", "1000000", "--timing"])
    with open(out, encoding="utf-8") as f:
        nodes = svg_nodes(f.read())
    return {"picture": timing(err)["picture"], "wall": wall, "rss": rss, "nodes": nodes}


def run_render_torch(path: str) -> dict:
    wall, rss, out, _ = timed([sys.executable, os.path.abspath(__file__), "--torchviz-child", path])
    r = json.loads(out.strip().splitlines()[-1])
    return {"picture": r["picture_s"], "wall": wall, "rss": rss, "nodes": r["nodes"]}


# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "autograd-viz"))
    ap.add_argument("--only", nargs="*", help="workload names (default: all; 'render' for the render rows)")
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("--json-out", help="also write the raw measurements here")
    ap.add_argument("--torch-child", help=argparse.SUPPRESS)
    ap.add_argument("--torchviz-child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.torch_child:
        return torch_child(args.torch_child)
    if args.torchviz_child:
        return torchviz_child(args.torchviz_child)

    if not os.access(args.bin, os.X_OK):
        print(f"no binary at {args.bin}: run 'swift build -c release --product autograd-viz'", file=sys.stderr)
        return 2
    torch_ok = not args.no_torch and have_module("torch")
    if not torch_ok:
        print("PyTorch not importable: measuring autograd-viz only", file=sys.stderr)
    torchviz_ok = torch_ok and have_module("torchviz") and have_module("graphviz")
    if torch_ok and not torchviz_ok:
        print("torchviz not importable (pip install torchviz graphviz): render rows without PyTorch", file=sys.stderr)

    names = args.only or WORKLOADS + ["render"]
    progress = lambda text: print(f"  {text}", file=sys.stderr, flush=True)  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        empty = os.path.join(tmp, "empty.json")
        with open(empty, "w") as f:
            json.dump({"name": "empty", "seed": 0, "code": ["pass"]}, f)
        paths = {EMPTY: empty}
        # A workload is bench/NAME.json (a model file) or bench/NAME.py (a script).
        paths.update({n: os.path.join(HERE, n + (".py" if os.path.exists(os.path.join(HERE, n + ".py")) else ".json"))
                      for n in names if n != "render"})

        results: dict[str, dict[str, list[dict]]] = {}
        for name, path in paths.items():
            results[name] = {"swift": [], "torch": []}
            for rep in range(args.reps):
                progress(f"{name}: repetition {rep + 1}/{args.reps}")
                results[name]["swift"].append(run_swift(args.bin, path))
                if torch_ok:
                    results[name]["torch"].append(run_torch(path))

        # Snapshot cost: `run --json` with the default policy against --snapshots none.
        snapshots: dict[str, dict[str, list[dict]]] = {}
        for name in ("mlp-train", "train-loop-memory"):
            if name not in paths:
                continue
            snapshots[name] = {"first-last": [], "none": []}
            for rep in range(args.reps):
                progress(f"{name} --json: repetition {rep + 1}/{args.reps}")
                for policy in ("first-last", "none"):
                    snapshots[name][policy].append(run_swift(args.bin, paths[name], ["--json", "--snapshots", policy]))

        renders: dict[str, dict[str, list[dict]]] = {}
        if "render" in names:
            for label, ops in RENDER_SIZES.items():
                path = os.path.join(tmp, f"render-{ops}.json")
                with open(path, "w") as f:
                    json.dump(render_script(ops), f)
                renders[label] = {"swift": [], "torch": []}
                for rep in range(args.reps):
                    progress(f"{label}: repetition {rep + 1}/{args.reps}")
                    renders[label]["swift"].append(run_render_swift(args.bin, path, os.path.join(tmp, "picture.svg")))
                    if torchviz_ok:
                        renders[label]["torch"].append(run_render_torch(path))

    print()
    print(f"Medians of {args.reps} alternating repetitions; times in seconds, memory in MiB.")
    print("exec: in-process on both sides (`run --timing` / compile + exec after `import torch`).")
    base_s = median(results[EMPTY]["swift"], "rss")
    base_t = median(results[EMPTY]["torch"], "rss") if results[EMPTY]["torch"] else None
    ratios: dict[str, float] = {}
    rss_ratios: dict[str, float] = {}
    rows = []
    for name, r in results.items():
        s, t = r["swift"], r["torch"]
        if t and name != EMPTY:
            ratios[name] = median(s, "exec") / median(t, "exec")
        ds = median(s, "rss") - base_s
        dt = median(t, "rss") - base_t if t else None
        if dt and dt > 0 and name != EMPTY:
            rss_ratios[name] = ds / dt
        rows.append([
            name, f"{median(s, 'exec'):.4f}", f"{median(t, 'exec'):.4f}" if t else "-",
            f"{ratios[name]:.2f}" if name in ratios else "-",
            f"{median(s, 'wall'):.2f}", f"{median(t, 'wall'):.2f}" if t else "-",
            fmt_mib(median(s, "rss")), fmt_mib(median(t, "rss")) if t else "-",
            fmt_mib(ds), fmt_mib(dt) if t else "-", f"{rss_ratios[name]:.2f}" if name in rss_ratios else "-",
        ])
    print_table(["workload", "autograd-viz exec", "PyTorch exec", "ratio av/pt", "av wall", "pt wall",
                 "av peak RSS", "pt peak RSS", "av +RSS", "pt +RSS", "+RSS ratio av/pt"], rows)

    if snapshots:
        rows = []
        for name, r in snapshots.items():
            a, b = r["first-last"], r["none"]
            ratios[f"{name} snapshots"] = median(a, "wall") / median(b, "wall")
            rows.append([name] + [f"{median(x, key):.3f}" for x in (a, b) for key in ("wall", "exec", "output")]
                        + [f"{ratios[f'{name} snapshots']:.2f}", f"{fmt_mib(median(a, 'rss'))} / {fmt_mib(median(b, 'rss'))}"])
        print_table(["run --json", "first-last (default): wall", "exec", "output", "--snapshots none: wall", "exec",
                     "output", "wall ratio", "peak RSS first-last / none"], rows)

    if renders:
        rows = []
        for label, r in renders.items():
            s, t = r["swift"], r["torch"]
            rows.append([
                label, f"{s[0]['nodes']} / {t[0]['nodes'] if t else '-'}", f"{median(s, 'picture'):.3f}",
                f"{median(t, 'picture'):.3f}" if t else "-",
                f"{median(s, 'picture') / median(t, 'picture'):.2f}" if t else "-", f"{median(s, 'wall'):.2f}",
            ])
        print_table(["render to SVG", "nodes (av / torchviz)", "autograd-viz picture", "torchviz picture",
                     "ratio av/tv", "av wall"], rows)

    print()
    print("Targets (issue 6):")

    def target(text: str, value: float | None, limit: float, shown: str) -> None:
        verdict = "not measured" if value is None else ("met" if value <= limit else "MISSED")
        print(f"- {text}: {shown if value is not None else '-'} -> {verdict}")

    target("scalar-chain exec ratio <= 0.33 (3x faster)", ratios.get("scalar-chain"), 1 / 3, f"{ratios.get('scalar-chain', 0):.2f}")
    target("rnn-unrolled exec ratio <= 0.33 (3x faster)", ratios.get("rnn-unrolled"), 1 / 3, f"{ratios.get('rnn-unrolled', 0):.2f}")
    target("scalar-chain-fn exec ratio <= 0.33 (3x faster, through function calls)", ratios.get("scalar-chain-fn"), 1 / 3,
           f"{ratios.get('scalar-chain-fn', 0):.2f}")
    target("mlp-train exec ratio <= 1.3", ratios.get("mlp-train"), 1.3, f"{ratios.get('mlp-train', 0):.2f}")
    target("mlp-train-class exec ratio <= 1.3 (nn.Module subclass, train_step)", ratios.get("mlp-train-class"), 1.3,
           f"{ratios.get('mlp-train-class', 0):.2f}")
    target("deep-chain +RSS ratio <= 2", rss_ratios.get("deep-chain"), 2, f"{rss_ratios.get('deep-chain', 0):.2f}")
    if "train-loop-memory" in results and "train-loop-memory-200" in results:
        growth = median(results["train-loop-memory"]["swift"], "rss") / median(results["train-loop-memory-200"]["swift"], "rss")
        target("train-loop-memory peak RSS 2,000 / 200 iterations <= 1.10", growth, 1.10, f"{growth:.3f}")
    target("mlp-train run --json, first-last / none wall <= 1.5", ratios.get("mlp-train snapshots"), 1.5,
           f"{ratios.get('mlp-train snapshots', 0):.2f}")
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump({"results": results, "snapshots": snapshots, "renders": renders}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
