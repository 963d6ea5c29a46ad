#!/usr/bin/env bash
# Checks the GPU backend on this machine from a folder made by bench/gpu-bundle/make.sh: sets OpenCL up
# (the ICD loader unpacked from its .deb; NVIDIA's ICD registered if the driver has one and no vendors
# file names it), then runs the GPU conformance, the backend-gpu tests, JMH's P3 and P5, and writes
# BENCHMARKS-GPU.md from the JMH results. Everything lands in $OUT (default: a new temporary folder).
# P3 compares toHost() (staged through pinned memory on a discrete GPU) with raw JOCL reads into pageable
# memory (the baseline) and into pinned memory, and with toHost() on a backend whose staging is off.
#
#   OUT=/somewhere bash run.sh
#   STEPS="jmh" bash run.sh                          only some of: conformance tests jmh (default: all)
#   JMH_ITER="-wi 3 -i 10 -w 1s -r 1s" bash run.sh   JMH iterations (default as shown)
#   LOCAL=1 bash run.sh                              skip the OpenCL setup (a machine with OpenCL installed)
B=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$(mktemp -d)}
work=$(mktemp -d)
STEPS=${STEPS:-conformance tests jmh}
mkdir -p "$OUT"
JAVA=$B/jre/bin/java
# The JDK's signal-chaining library, as bin/tensorbridge does: a driver's own SIGSEGV handler must not replace the JVM's.
[ -f "$B/jre/lib/libjsig.so" ] && export LD_PRELOAD="$B/jre/lib/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}"
log() { echo "== $* ($(date -u +%T))"; }
if [ -z "${LOCAL:-}" ]; then
  log "OpenCL setup"
  dpkg -x "$B"/ocl-icd-libopencl1_*.deb "$work/icd"
  export LD_LIBRARY_PATH=$work/icd/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
  lib=$(ldconfig -p | awk '/libnvidia-opencl.so.1/{print $NF; exit}')
  [ -z "$lib" ] && lib=$(find / -name 'libnvidia-opencl.so.1*' -not -path '/proc/*' 2>/dev/null | head -1)
  if [ -n "$lib" ] && ! grep -qs nvidia /etc/OpenCL/vendors/*.icd; then
    mkdir -p "$work/vendors" && echo "$lib" > "$work/vendors/nvidia.icd" && export OCL_ICD_VENDORS=$work/vendors
    export LD_LIBRARY_PATH=$(dirname "$lib"):$LD_LIBRARY_PATH
  fi
  echo "NVIDIA OpenCL library: ${lib:-none}"
  command -v nvidia-smi >/dev/null && nvidia-smi -L
fi
"$JAVA" -version 2>&1 | head -1
BENCH=$(ls "$B"/bench/*.jar | tr '\n' ':')
LIB=$(ls "$B"/lib/*.jar | tr '\n' ':')
CLI=$(ls "$B"/cli/*.jar | tr '\n' ':')
opencl=$(timeout 60 "$JAVA" -cp "$BENCH$LIB" org.tensorbridge.bench.OpenClProbe 2>&1)
echo "OpenCL device: $opencl" | tee "$OUT/opencl.txt"

if [[ " $STEPS " == *" conformance "* ]]; then
  log "conformance of the gpu backend"
  (cd "$work" && timeout 300 "$JAVA" -cp "$CLI$LIB" org.tensorbridge.cli.TensorbridgeCommand conformance --require gpu 2>&1 \
    | grep -v "MUST    passed")
  cp "$work/target/conformance/report.json" "$OUT/conformance-report.json" 2>/dev/null
fi
if [[ " $STEPS " == *" tests "* ]]; then
  log "backend-gpu tests"
  timeout 400 "$JAVA" -cp "$(ls "$B"/junit-platform-console-standalone-*.jar):$B/gpu-test-classes:$LIB" \
    org.junit.platform.console.ConsoleLauncher execute --select-package org.tensorbridge.backend.gpu --disable-banner \
    --details=summary --details-theme=ascii --reports-dir "$OUT/junit" 2>&1 | tail -60
fi
if [[ " $STEPS " == *" jmh "* ]]; then
  log "JMH P3 and P5"
  started=$(date -u +%Y-%m-%dT%H:%M:%SZ); load_before=$(cat /proc/loadavg)
  # shellcheck disable=SC2086 # JMH_ITER is a list of options
  timeout 600 "$JAVA" -cp "$BENCH$LIB" org.openjdk.jmh.Main 'org\.tensorbridge\.bench\.(P3GpuDeviceToHost|P5GpuFusedGraph)\.' \
    -f 1 ${JMH_ITER:--wi 3 -i 10 -w 1s -r 1s} -jvm "$JAVA" -rf json -rff "$OUT/jmh-gpu.json" 2>&1 \
    | grep -E "^Benchmark|^P[35]|Exception|rror|# Run complete"
  "$JAVA" -cp "$BENCH$LIB" org.tensorbridge.bench.report.BenchmarksReport --jmh "$OUT/jmh-gpu.json" --rows P3,P5 \
    --command "bench/gpu-bundle/make.sh, then on the GPU machine: bash run.sh" --started "$started" \
    --finished "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --load-before "$load_before" --load-after "$(cat /proc/loadavg)" \
    --revision "$(cat "$B/revision.txt" 2>/dev/null || echo unknown)" --opencl "$opencl" --out "$OUT/BENCHMARKS-GPU.md"
fi
echo "results in $OUT"
log done
