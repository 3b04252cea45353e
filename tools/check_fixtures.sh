#!/usr/bin/env bash
# Build autograd-viz, run every fixture under fixtures/seed, fixtures/facts, fixtures/errors, fixtures/examples,
# fixtures/models (NAME.json) and fixtures/real (NAME.py)
# with `run --json --snapshots all` (every call in full), and compare each run document with its PyTorch golden
# fixtures/torch/SUITE/NAME.json (written by tools/make_goldens.sh) using
# tools/compare_runs.py.
#
#   tools/check_fixtures.sh [--extra] [FIXTURE.json|FIXTURE.py ...]
#
# --extra is passed to compare_runs.py (also compare warnings and each
# backward call's raised/tensors_after). Without FIXTURE arguments every
# fixture of every suite is checked.
#
# Per fixture it prints PASS, FAIL (followed by the differences, indented),
# CRASH (our tool exited with a status other than 0 or 1, or wrote no JSON;
# its stderr follows) or MISSING (no golden). Then a summary. Exit status 0
# when every fixture passed, 1 otherwise, 2 when the build failed.
#
# The build is retried (BUILD_TRIES times, default 3, BUILD_WAIT seconds apart,
# default 60), since Sources/ may be mid-edit. SKIP_BUILD=1 skips it.
# PYTHON picks the interpreter for compare_runs.py (default python3).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"
bin="$(swift build --show-bin-path)/autograd-viz"

compare_args=()
fixtures=()
for arg in "$@"; do
    case "$arg" in
        --extra) compare_args+=(--extra) ;;
        *) fixtures+=("$arg") ;;
    esac
done
if [ ${#fixtures[@]} -eq 0 ]; then
    fixtures=(fixtures/seed/*.json fixtures/facts/*.json fixtures/errors/*.json fixtures/examples/*.json fixtures/models/*.json
              fixtures/real/*.py)
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    tries="${BUILD_TRIES:-3}"
    for ((i = 1; ; i++)); do
        if log="$(swift build 2>&1)"; then
            break
        fi
        if [ "$i" -ge "$tries" ]; then
            echo "$log" | tail -20
            echo "swift build failed $tries times" >&2
            exit 2
        fi
        echo "swift build failed (try $i of $tries); retrying in ${BUILD_WAIT:-60}s" >&2
        sleep "${BUILD_WAIT:-60}"
    done
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

pass=0 fail=0 crash=0 missing=0
failed=()
for model in "${fixtures[@]}"; do
    suite="$(basename "$(dirname "$model")")"
    name="$(basename "$model")"
    golden="fixtures/torch/$suite/${name%.*}.json"
    label="$suite/${name%.*}"
    if [ ! -f "$golden" ]; then
        echo "MISSING $label: no golden $golden (run tools/make_goldens.sh)"
        missing=$((missing + 1)); failed+=("$label"); continue
    fi
    ours="$tmp/ours.json"
    "$bin" run "$model" --json --snapshots all >"$ours" 2>"$tmp/stderr"
    status=$?
    if { [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; } || [ ! -s "$ours" ]; then
        echo "CRASH $label: exit status $status"
        sed 's/^/    /' "$tmp/stderr" | tail -15
        crash=$((crash + 1)); failed+=("$label"); continue
    fi
    if out="$("$python" tools/compare_runs.py "${compare_args[@]}" "$ours" "$golden" 2>&1)"; then
        echo "PASS $label"
        pass=$((pass + 1))
    else
        echo "FAIL $label (exit status $status)"
        echo "$out" | sed 's/^/    /'
        fail=$((fail + 1)); failed+=("$label")
    fi
done

echo
echo "summary: ${#fixtures[@]} fixtures, $pass passed, $fail failed, $crash crashed, $missing missing goldens"
if [ ${#failed[@]} -gt 0 ]; then
    printf '  not passing: %s\n' "${failed[@]}"
    exit 1
fi
exit 0
