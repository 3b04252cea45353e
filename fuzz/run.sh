#!/bin/sh
# Builds the libFuzzer target with the sanitizers and runs it on one of its
# targets for a number of minutes (what `make fuzz` does).
# Usage: fuzz/run.sh TARGET MINUTES [libFuzzer flags...]   (SWIFT=swift)
# Working corpus:  fuzz/out/TARGET/corpus   (grows across runs)
# Crashes, hangs:  fuzz/out/TARGET/crashes/ (crash-*, timeout-*, oom-*)
set -eu
target=$1 minutes=$2
shift 2
case $target in
  json|parser|interpreter) ;;
  *) echo "FUZZ_TARGET must be json, parser or interpreter, not '$target'" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/fuzz/.build/debug/autograd-viz-fuzz

# gold warns about every AddressSanitizer symbol it cannot export: keep
# the build's output for when it fails.
build() { (cd "$root/fuzz" && ${SWIFT:-swift} build --product autograd-viz-fuzz -Xswiftc -sanitize=fuzzer,address 2>&1); }
# An incremental build can trip over sources added since the last one
# ("cannot find type ... in scope"); a clean build does not.
if ! log=$(build) && ! { rm -rf "$root/fuzz/.build" && log=$(build); }; then
  echo "$log" | grep -v 'Cannot export local symbol' >&2
  exit 1
fi
echo "$log" | grep -v 'Cannot export local symbol' | tail -1
out=$root/fuzz/out/$target
mkdir -p "$out/corpus" "$out/crashes" "$out/seeds"

# Seeds: the fixtures' model files and scripts (not the run documents under
# fixtures/torch, which are large), and earlier findings; a file of the
# json target's kind only for it.
case $target in
  json) pattern='*.json' ;;
  *) pattern='*.[pj][ys]*' ;;
esac
find "$root/fixtures" "$root/fuzz/findings" -path "$root/fixtures/torch" -prune -o \
     -type f -name "$pattern" -size -16k -print 2>/dev/null |
while read -r f; do
  cp "$f" "$out/seeds/$(echo "${f#$root/}" | tr / _)"
done

echo "fuzzing '$target' for $minutes minute(s); crashes, hangs and OOMs go to $out/crashes/"
# Swift's backtracer would catch the signals AddressSanitizer handles.
# Leaks are not checked: a script's reference cycles (a.append(a)) leak by design.
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} AUTOGRAD_VIZ_FUZZ_TARGET=$target \
  "$bin" "$out/corpus" "$out/seeds" \
    -max_total_time=$((minutes * 60)) -max_len=8192 -timeout=20 -rss_limit_mb=3072 \
    -detect_leaks=0 -print_final_stats=1 \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -artifact_prefix="$out/crashes/" "$@" 2>&1 | tee "$out/last-run.log"
echo "crashes, hangs and OOMs of '$target': $out/crashes/ ($(ls "$out/crashes" | wc -l) files)"
