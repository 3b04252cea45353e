#!/usr/bin/env python3
"""Record what CPython 3.11 prints for the language-conformance scripts.

Usage:
    tools/make_python_goldens.py [--check] [NAME ...]

For every fixtures/python/NAME.py (or only the NAMEs given), runs the script
with this python3 in a fresh subprocess (PYTHONHASHSEED=0) and writes
fixtures/python/expected/NAME.json:

    {"stdout": [LINE, ...],
     "error": null | {"type": "KeyError", "message": str(e),
                      "line": L, "column": C,
                      "traceback": [{"name": "<module>", "line": L, "column": C},
                                    ...]}}

* ``stdout`` is what the script printed, split on "\\n", without the empty
  string after a final newline. stderr is not recorded.
* ``error`` is the exception the script did not catch. The script is compiled
  with its repository-relative path as file name and executed by a small
  wrapper, which keeps the traceback frames whose file is the script, outermost
  first: ``name`` is the frame's function name ("<module>" at top level),
  ``line`` its line and ``column`` ``colno + 1`` with ``colno`` turned from a
  UTF-8 byte offset into a character offset (the first non-blank character of
  the line when Python has no column) -- as tools/torch_reference.py's
  ``error_position`` computes it. The last frame is the error's position.

The script runs as ``__main__`` with ``sys.argv == [its path]``, under
``python3 -S`` so that only the standard library can be imported: a golden
must not depend on whether numpy happens to be installed here. With
--check nothing is written: the tool says which goldens differ and exits 1 if
any does. Expected files without a script are removed (reported under
--check). Refuses to run on anything but Python 3.11: the goldens are
CPython 3.11's behaviour and messages.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path("fixtures/python")
EXPECTED = SCRIPTS / "expected"
SLOW_SECONDS = 0.2

# Runs in the subprocess: argv = [-c, SCRIPT_PATH, REPORT_PATH]. Writes the
# uncaught exception (or null) and the execution time to REPORT_PATH.
WRAPPER = r'''
import json, sys, time, traceback

def char_column(line_text, byte_offset):
    return len(line_text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))

def frame_position(frame, lines):
    line = frame.lineno
    text = lines[line - 1] if line and 0 < line <= len(lines) else ""
    colno = getattr(frame, "colno", None)
    if colno is None:
        return line, len(text) - len(text.lstrip()) + 1
    return line, char_column(text, colno) + 1

path, report = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    source = f.read()
lines = source.splitlines()
code = compile(source, path, "exec")
sys.argv = [path]
namespace = {"__name__": "__main__", "__file__": path, "__builtins__": __builtins__}
error = None
start = time.perf_counter()
try:
    exec(code, namespace)
except BaseException as e:
    frames = []
    for frame in traceback.extract_tb(e.__traceback__):
        if frame.filename == path:
            line, column = frame_position(frame, lines)
            frames.append({"name": frame.name, "line": line, "column": column})
    last = frames[-1] if frames else {"line": None, "column": None}
    error = {"type": type(e).__name__, "message": str(e),
             "line": last["line"], "column": last["column"], "traceback": frames}
seconds = time.perf_counter() - start
sys.stdout.flush()
with open(report, "w", encoding="utf-8") as f:
    json.dump({"error": error, "seconds": seconds}, f)
'''


def stdout_lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def run_script(script: Path) -> tuple[dict, float]:
    """The golden document of one script, and how long its code ran."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1")
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        proc = subprocess.run(
            [sys.executable, "-S", "-s", "-c", WRAPPER, str(script), str(report)],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=60,
        )
        if not report.exists():
            sys.exit(f"{script}: the wrapper did not finish (exit {proc.returncode}):\n"
                     + proc.stderr.decode("utf-8", "replace"))
        result = json.loads(report.read_text(encoding="utf-8"))
    doc = {"stdout": stdout_lines(proc.stdout.decode("utf-8")), "error": result["error"]}
    return doc, result["seconds"]


def render(doc: dict) -> str:
    """JSON with one printed line a line and one traceback frame a line."""
    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    out = ["{"]
    lines = doc["stdout"]
    if lines:
        out.append('  "stdout": [')
        out.extend(f"    {dump(line)}{',' if i < len(lines) - 1 else ''}" for i, line in enumerate(lines))
        out.append("  ],")
    else:
        out.append('  "stdout": [],')
    error = doc["error"]
    if error is None:
        out.append('  "error": null')
    else:
        out.append('  "error": {')
        for key in ("type", "message", "line", "column"):
            out.append(f"    {dump(key)}: {dump(error[key])},")
        frames = error["traceback"]
        out.append('    "traceback": [')
        out.extend(f"      {dump(frame)}{',' if i < len(frames) - 1 else ''}" for i, frame in enumerate(frames))
        out.append("    ]")
        out.append("  }")
    out.append("}")
    text = "\n".join(out) + "\n"
    assert json.loads(text) == doc
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description="Write fixtures/python/expected/NAME.json with CPython 3.11.")
    parser.add_argument("--check", action="store_true", help="compare with the committed goldens, write nothing")
    parser.add_argument("names", nargs="*", help="script names (without .py); all scripts when none")
    args = parser.parse_args()

    if sys.version_info[:2] != (3, 11):
        print(f"make_python_goldens.py: needs Python 3.11 (the goldens are CPython 3.11's), "
              f"this is {sys.version.split()[0]}", file=sys.stderr)
        return 2

    os.chdir(ROOT)
    available = sorted(p.stem for p in SCRIPTS.glob("*.py"))
    names = args.names or available
    unknown = [n for n in names if n not in available]
    if unknown:
        print(f"make_python_goldens.py: no script {SCRIPTS}/{unknown[0]}.py", file=sys.stderr)
        return 2

    EXPECTED.mkdir(exist_ok=True)
    differing = 0
    for name in names:
        doc, seconds = run_script(SCRIPTS / f"{name}.py")
        text = render(doc)
        golden = EXPECTED / f"{name}.json"
        error = doc["error"]
        outcome = "ok" if error is None else f"error {error['type']} at {error['line']}:{error['column']}"
        slow = f"  SLOW: {seconds:.2f} s" if seconds > SLOW_SECONDS else ""
        if args.check:
            same = golden.exists() and golden.read_text(encoding="utf-8") == text
            differing += not same
            print(f"{golden}: {'same' if same else 'DIFFERS'}{slow}")
        else:
            golden.write_text(text, encoding="utf-8")
            print(f"{golden}: {len(doc['stdout'])} lines, {outcome}{slow}")

    if not args.names:
        for stale in sorted(EXPECTED.glob("*.json")):
            if stale.stem not in available:
                differing += 1
                if args.check:
                    print(f"{stale}: no script")
                else:
                    stale.unlink()
                    print(f"{stale}: removed (no script)")
    return 1 if args.check and differing else 0


if __name__ == "__main__":
    sys.exit(main())
