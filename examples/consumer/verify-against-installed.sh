#!/usr/bin/env bash
# Builds this folder's independent Maven project (an application on the api and the cpu backend, and a
# third-party backend with its conformance test) against the tensorbridge artifacts that ./mvnw install
# put in the local repository, as someone else's project would use them. Run after ./mvnw install, from
# anywhere; .ci/run does. It fails when:
#   - a reactor module that users depend on is missing from the BOM (tensorbridge-bom);
#   - the BOM, a coordinate or a module descriptor keeps the consumer from building, the application from
#     running on the module path, or the third-party backend from passing the kit;
#   - the consumer resolves a third-party version (ND4J, JavaCPP, Arrow, JOCL, flatbuffers, ...) that the
#     reactor never builds with: the BOM and the build have drifted apart.
# MAVEN_ARGS (a local repository, say) applies to every Maven call, as for ./mvnw.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

version="$(./mvnw -B -q org.apache.maven.plugins:maven-help-plugin:3.6.0:evaluate -Dexpression=project.version \
  -DforceStdout)"
echo "consumer: tensorbridge $version"

# 1. Every module artifact of the reactor is pinned by the BOM, except the parent (users get it through
#    the modules' poms), the BOM itself and bench (a leaf with its own peers, never a dependency).
./mvnw -B -q exec:exec -Dexec.executable=echo -Dexec.args='${project.artifactId}' >"$work/modules.txt"
missing=""
for artifact in $(grep -v -x -e tensorbridge-parent -e tensorbridge-bom -e tensorbridge-bench "$work/modules.txt"); do
  grep -q "<artifactId>$artifact</artifactId>" bom/pom.xml || missing="$missing $artifact"
done
if [ -n "$missing" ]; then
  echo "consumer: bom/pom.xml does not pin these reactor modules:$missing (add them to its dependencyManagement)" >&2
  exit 1
fi

# 2. The consumer build itself, resolving tensorbridge from the local repository only.
./mvnw -B -ntp -f examples/consumer/pom.xml clean verify -Dtensorbridge.version="$version"

# 3. Versions: what the consumer resolved through the BOM against what the reactor's modules (bench
#    excepted) resolve, artifact by artifact (group:artifact, any classifier).
list_versions() { # Maven arguments...; prints "group:artifact version" lines
  local out="$work/list-$RANDOM.txt"
  ./mvnw -B -q "$@" dependency:list -DoutputFile="$out" -DappendOutput=true -DexcludeTransitive=false >/dev/null
  # Lines look like "   group:artifact:type[:classifier]:version:scope -- module name".
  sed -n 's/^ *\([^ :]*:[^ ]*\).*/\1/p' "$out" | awk -F: 'NF >= 5 { print $1 ":" $2, $(NF - 1) }' | sort -u
}
list_versions -f examples/consumer/pom.xml -Dtensorbridge.version="$version" | grep -v '^org\.\(tensorbridge\|example\):' >"$work/consumer.txt"
list_versions -pl '!bench' >"$work/reactor.txt"
drift="$(awk 'NR == FNR { seen[$1 " " $2] = 1; known[$1] = known[$1] " " $2; next }
              !(($1 " " $2) in seen) { print "  " $1 " " $2 " (the build has:" (known[$1] == "" ? " none" : known[$1]) ")" }' \
         "$work/reactor.txt" "$work/consumer.txt")"
if [ -n "$drift" ]; then
  echo "consumer: resolved through the BOM, but never built with in the reactor (align bom/pom.xml with the build):" >&2
  echo "$drift" >&2
  exit 1
fi
echo "consumer: $(wc -l <"$work/consumer.txt") third-party artifacts, every version one the reactor builds with"
