#!/usr/bin/env bash
# Builds a self-contained folder for checking the GPU backend on a machine that has an OpenCL GPU but no
# JDK and no network: a jlink Java runtime, the GPU backend and its tests, the conformance runner, the P3
# and P5 benchmarks and the OpenCL ICD loader's .deb. Copy the folder there and run its run.sh.
#
#   bench/gpu-bundle/make.sh [OUTPUT_DIR]     default: bench/target/gpu-bundle (about 51 MiB)
#
# Needs a JDK 17 with jlink, the network to Maven Central (for the JUnit console launcher) and apt-get
# (for the ICD loader's .deb). Run from anywhere; it works in the repository root.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-bench/target/gpu-bundle}
version=0.1.0-SNAPSHOT
junit_platform=$(./mvnw -q help:evaluate -Dexpression=junit.platform.version -DforceStdout)

echo "== building backend-gpu, cli and bench (and what they need)"
./mvnw -B -q -pl backend-gpu,cli,bench -am install -DskipTests
./mvnw -B -q -pl backend-gpu test-compile

rm -rf "$out"
mkdir -p "$out/lib" "$out/cli" "$out/bench"
out=$(cd "$out" && pwd)
echo "== Java runtime (jlink)"
jlink --add-modules java.base,java.logging,java.management,jdk.management,jdk.unsupported,java.xml,java.naming,jdk.zipfs \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$out/jre"

echo "== jars"
classpath() { # module scope file
  ./mvnw -B -q -pl "$1" dependency:build-classpath -Dmdep.includeScope="$2" -Dmdep.outputFile="$3" >/dev/null
}
classpath backend-gpu test "$out/gpu-test.cp"
classpath cli runtime "$out/cli.cp"
# The GPU backend, its test dependencies and the report's JSON library; no JUnit (the console launcher has it).
tr ':' '\n' < "$out/gpu-test.cp" | grep -v -e '/org/junit/' | xargs -I{} cp {} "$out/lib/"
cp "backend-gpu/target/tensorbridge-backend-gpu-$version.jar" "$out/lib/"
cp -r backend-gpu/target/test-classes "$out/gpu-test-classes"
# The conformance command: the cli without the CPU backend (ND4J's 128 MiB stay behind), with JUnit.
tr ':' '\n' < "$out/cli.cp" | grep -e '/org/junit/' -e picocli -e progressbar -e jline -e slf4j -e tensorbridge-examples \
  | xargs -I{} cp {} "$out/cli/"
cp "cli/target/tensorbridge-cli-$version.jar" "$out/cli/"
cp bench/target/benchmarks.jar bench/target/lib/jmh-core-*.jar bench/target/lib/jopt-simple-*.jar \
  bench/target/lib/commons-math3-*.jar "$out/bench/"
./mvnw -B -q dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_platform" \
  -DoutputDirectory="$out"
rm -f "$out"/*.cp

echo "== OpenCL ICD loader (.deb, unpacked on the GPU machine, not installed)"
(cd "$out" && apt-get download ocl-icd-libopencl1)
cp bench/gpu-bundle/run.sh "$out/"
revision="git $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -n "$(git status --porcelain 2>/dev/null)" ]] && revision="$revision with uncommitted changes"
echo "$revision" > "$out/revision.txt"
du -sh "$out"
