#!/usr/bin/env bash
# Regenerate the PyTorch goldens: fixtures/torch/SUITE/NAME.json for every
# fixtures/SUITE/NAME.json (SUITE = seed, facts, errors, examples, models), by running each model under
# real PyTorch with tools/torch_reference.py. Needs torch
# (pip install torch==2.15.0).
# Run from anywhere; prints one line per fixture and, for each, whether the
# script ended with an error. In seed only backward-twice-error is meant to;
# in facts and models every fixture whose description says "EXPECTED TO
# RAISE" is meant to end with that error, and the others must print "ok".
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"

for suite in fixtures/seed fixtures/facts fixtures/errors fixtures/examples fixtures/models; do
    out="fixtures/torch/${suite#fixtures/}"
    mkdir -p "$out"
    for model in "$suite"/*.json; do
        name="$(basename "$model")"
        "$python" tools/torch_reference.py "$model" -o "$out/$name"
        error="$("$python" -c 'import json, sys; e = json.load(open(sys.argv[1]))["error"]; print("ok" if e is None else "error: %s: %s (line %s)" % (e["type"], e["message"][:60], e["line"]))' "$out/$name")"
        echo "$out/$name: $error"
    done
done
