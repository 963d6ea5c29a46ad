#!/usr/bin/env bash
# The short benchmark suite of issue 8 (every row: P1, P2, P4, P4b, P6, P7 on the CPU backend, P3 and P5 on the
# GPU backend where there is an OpenCL device, P8 on the TensorFlow backend, P9 on Arrow Flight over loopback),
# and BENCHMARKS.md from it.
#
#   bench/run-short-suite.sh                  build what the bench needs (./mvnw -pl bench -am), run, write BENCHMARKS.md
#   bench/run-short-suite.sh --no-also-make   build the bench module only, against the tensorbridge jars in ~/.m2
#   bench/run-short-suite.sh --report FILE    write the report elsewhere (default: BENCHMARKS.md at the root)
#   bench/run-short-suite.sh -- ARGS...       pass ARGS to JMH (for example -- -wi 0 -i 1 -r 200ms for a smoke run)
#
# Run from anywhere; it works in the repository root. About 20 minutes on 2 cores. It writes, under
# bench/target/short-suite/: numpy.json (NumPy's and SciPy's figures, recorded beside JMH), opencl.txt (the
# OpenCL device the GPU backend found, or "none: reason"), jmh-result.json (JMH's JSON results, run with
# -prof gc) and jmh.log; then the table generator computes every ratio from those files.
# Needs a JDK 17+, and python3 with NumPy and SciPy for the peers' figures (Debian: apt-get install -y
# python3-numpy python3-scipy; without them the report says they are missing). Without an OpenCL device
# P3 and P5 are left out of the run and reported as "not measured: no OpenCL device".
set -euo pipefail

started_epoch=$(date +%s)
command_line="bench/run-short-suite.sh${*:+ $*}"
cd "$(dirname "$0")/.."

also_make=(-am)
report=BENCHMARKS.md
jmh_extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-also-make) also_make=(); shift ;;
    --report) report="$2"; shift 2 ;;
    --) shift; jmh_extra=("$@"); break ;;
    *) echo "unknown option '$1'; see the comment at the top of $0" >&2; exit 2 ;;
  esac
done

out=bench/target/short-suite
echo "== building the bench module (./mvnw -B -q -pl bench ${also_make[*]} package -DskipTests)"
./mvnw -B -q -pl bench "${also_make[@]}" package -DskipTests
rm -rf "$out"
mkdir -p "$out"

echo "== NumPy peers (bench/numpy_peers.py)"
python=""
for candidate in "${PYTHON:-}" /usr/bin/python3 python3; do
  if [[ -n "$candidate" ]] && "$candidate" -c 'import numpy' 2>/dev/null; then
    python="$candidate"
    break
  fi
done
if [[ -n "$python" ]]; then
  "$python" bench/numpy_peers.py > "$out/numpy.json"
else
  echo '{"error": "python3 with NumPy was not found; install it (Debian: apt-get install -y python3-numpy) and run again"}' \
    > "$out/numpy.json"
  echo "   NumPy not found: its figures will be reported missing" >&2
fi

# The JDK's signal-chaining library in every fork (they inherit the environment): PoCL's LLVM replaces the
# JVM's SIGSEGV handler with one that resets on delivery, and a fork with two threads at a safepoint then dies
# with exit code 139 (seen in P7). Preloaded, libjsig keeps the JVM's handler first.
jsig="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/libjsig.so"
if [[ -f "$jsig" ]]; then
  export LD_PRELOAD="$jsig${LD_PRELOAD:+:$LD_PRELOAD}"
fi

echo "== OpenCL device for P3 and P5 (org.tensorbridge.bench.OpenClProbe)"
classes='P1SharedConversion|P2CopyConversion|P4EagerArithmetic|P4bGraphSession|P6ArrowInterop|P7SparseMatmul|P8aTensorflowEager|P8bTensorflowShare|P8cTensorflowSession|P9FlightTransfer'
if opencl=$(java -cp bench/target/benchmarks.jar org.tensorbridge.bench.OpenClProbe 2>/dev/null); then
  classes="P1SharedConversion|P2CopyConversion|P3GpuDeviceToHost|P4EagerArithmetic|P4bGraphSession|P5GpuFusedGraph|P6ArrowInterop|P7SparseMatmul|P8aTensorflowEager|P8bTensorflowShare|P8cTensorflowSession|P9FlightTransfer"
else
  opencl=${opencl:-"none: the OpenCL probe failed"}
fi
echo "$opencl" | tee "$out/opencl.txt"

echo "== JMH: ${classes//|/, } with -prof gc"
load_before=$(cat /proc/loadavg 2>/dev/null || echo unknown)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# TensorFlow's native logging at INFO prints CPU-feature notices into the log; warnings and errors remain.
TF_CPP_MIN_LOG_LEVEL=1 java -jar bench/target/benchmarks.jar \
  "org\\.tensorbridge\\.bench\\.($classes)\\." \
  -prof gc -rf json -rff "$out/jmh-result.json" "${jmh_extra[@]}" 2>&1 | tee "$out/jmh.log"
finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_after=$(cat /proc/loadavg 2>/dev/null || echo unknown)

revision="unknown (not a git checkout)"
if git rev-parse --git-dir >/dev/null 2>&1; then
  revision="git $(git rev-parse --short HEAD)"
  if [[ -n "$(git status --porcelain 2>/dev/null)" ]]; then
    revision="$revision with uncommitted changes"
  fi
fi

echo "== writing $report"
java -cp bench/target/benchmarks.jar org.tensorbridge.bench.report.BenchmarksReport \
  --jmh "$out/jmh-result.json" --numpy "$out/numpy.json" --out "$report" \
  --command "$command_line" --started "$started" --finished "$finished" \
  --load-before "$load_before" --load-after "$load_after" --revision "$revision" --opencl "$opencl"
echo "== done in $(( $(date +%s) - started_epoch )) s"
