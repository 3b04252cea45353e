#!/usr/bin/env bash
# Regenerate the PyTorch goldens: fixtures/torch/SUITE/NAME.json for every
# fixtures/SUITE/NAME.json (SUITE = seed, facts, errors, examples, models)
# and every fixtures/real/NAME.py, by running each model under real PyTorch
# with tools/torch_reference.py. Needs torch (pip install torch==2.15.0).
# Run from anywhere; prints one line per fixture and, for each, whether the
# script ended with an error. In seed only backward-twice-error is meant to;
# in facts and models every fixture whose description says "EXPECTED TO
# RAISE" is meant to end with that error, and the others must print "ok".
# In real the description is the script's header comment; a real script that
# ends otherwise than its header says is marked "UNEXPECTED", and the script
# then exits with status 1 after regenerating everything.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"

# ok, or "error: Type: message (line N)"; for a model whose description says
# "EXPECTED TO RAISE" (or does not say it) and ends the other way, "UNEXPECTED".
summary() {
    "$python" - "$1" "$2" <<'PY'
import json, sys
sys.path.insert(0, "tools")
from torch_reference import load_model
e = json.load(open(sys.argv[2]))["error"]
text = "ok" if e is None else "error: %s: %s (line %s)" % (e["type"], e["message"][:60], e["line"])
if sys.argv[1].startswith("fixtures/real/"):
    expected = "EXPECTED TO RAISE" in (load_model(sys.argv[1]).description or "")
    if expected != (e is not None):
        text += " UNEXPECTED"
print(text)
PY
}

unexpected=0
for suite in fixtures/seed fixtures/facts fixtures/errors fixtures/examples fixtures/models fixtures/real; do
    out="fixtures/torch/${suite#fixtures/}"
    mkdir -p "$out"
    for model in "$suite"/*.json "$suite"/*.py; do
        [ -e "$model" ] || continue
        name="$(basename "$model")"
        golden="$out/${name%.*}.json"
        "$python" tools/torch_reference.py "$model" -o "$golden"
        line="$(summary "$model" "$golden")"
        case "$line" in *UNEXPECTED) unexpected=$((unexpected + 1)) ;; esac
        echo "$golden: $line"
    done
done
if [ "$unexpected" -gt 0 ]; then
    echo "$unexpected real script(s) ended otherwise than their header says" >&2
    exit 1
fi
