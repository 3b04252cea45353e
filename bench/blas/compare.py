#!/usr/bin/env python3
"""sgemm on autograd-viz's shapes: every CBLAS library installed here
(sgemm_bench.c, loaded at run time) beside PyTorch's torch.mm, one and two
threads, measured in one run. Prints the markdown table of
docs/PERFORMANCE.md ("The BLAS, chosen by measurement").

    python3 bench/blas/compare.py            # needs cc; PyTorch optional
"""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIBRARIES = {
    "OpenBLAS": "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
    "BLIS": "/usr/lib/x86_64-linux-gnu/libblis.so.4",
}
# name -> (M, N, K, transpose A, transpose B), as in sgemm_bench.c
SHAPES = [
    ("mlp fc1 forward 64x784 @ (256x784)^T", 64, 256, 784, False, True),
    ("mlp fc1 weight grad (64x256)^T @ 64x784", 256, 784, 64, True, False),
    ("mlp fc2 forward 64x256 @ (10x256)^T", 64, 10, 256, False, True),
    ("mlp fc2 input grad 64x10 @ 10x256", 64, 256, 10, False, False),
    ("rnn 20x20 @ 20x1", 20, 1, 20, False, False),
    ("rnn 20x10 @ 10x1", 20, 1, 10, False, False),
    ("conv-as-gemm 6x25 @ 25x576", 6, 576, 25, False, False),
    ("conv-as-gemm 16x150 @ 150x64", 16, 64, 150, False, False),
]


def run_c(binary: str, library: str, threads: int) -> dict:
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), BLIS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    out = subprocess.run([binary, library, str(threads)], capture_output=True, text=True, env=env, check=True).stdout
    rows = {}
    for line in out.splitlines():
        name, micros, err = line.split("\t")
        rows[name] = (float(micros), float(err))
    return rows


def run_torch(threads: int) -> dict | None:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    rows = {}
    for name, m, n, k, ta, tb in SHAPES:
        a = torch.rand(k, m) if ta else torch.rand(m, k)
        b = torch.rand(n, k) if tb else torch.rand(k, n)
        a, b = (a.t() if ta else a), (b.t() if tb else b)
        reps = 1
        while True:
            t0 = time.perf_counter()
            for _ in range(reps):
                torch.mm(a, b)
            if time.perf_counter() - t0 > 0.04:
                break
            reps *= 2
        best = min(timed(lambda: torch.mm(a, b), reps) for _ in range(5))
        rows[name] = (best * 1e6, None)
    return rows


def timed(fn, reps: int) -> float:
    t0 = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - t0) / reps


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        binary = str(Path(tmp) / "sgemm_bench")
        subprocess.run(["cc", "-O2", "-o", binary, str(HERE / "sgemm_bench.c"), "-ldl", "-lm"], check=True)
        columns = []
        for threads in (1, 2):
            for lib, path in LIBRARIES.items():
                if Path(path).exists():
                    columns.append((f"{lib} {threads}t", run_c(binary, path, threads)))
            torch_rows = run_torch(threads)
            if torch_rows:
                columns.append((f"torch.mm {threads}t", torch_rows))
    print("| shape (µs per product; max relative error vs double) | " + " | ".join(c[0] for c in columns) + " |")
    print("|---|" + "---|" * len(columns))
    for name, *_ in SHAPES:
        cells = []
        for _, rows in columns:
            micros, err = rows[name]
            cells.append(f"{micros:.2f}" + (f" ({err:.0e})" if err is not None else ""))
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(f"\nOPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')} "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '(unset)')}", file=sys.stderr)


if __name__ == "__main__":
    main()
