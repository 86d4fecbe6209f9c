#!/usr/bin/env bash
# Runs one of Kulipa's benchmarks (bench/DepositsBench.java, bench/PayoutsBench.java) against
# Kulipa's current sources.
#
#   bench/run.sh Deposits|Payouts [JVM options, e.g. -Dbench.measureSeconds=60 -Dbench.httpClients=64]
#   BENCH_REF=HEAD bench/run.sh Payouts     # benchmark a git commit instead of the work tree
#   (bench/run-deposits.sh and bench/run-payouts.sh are the same with the name filled in)
#
# 1. picks JDK 25: $JAVA_HOME when set, else /usr/lib/jvm/temurin-25-jdk-amd64 when present;
# 2. takes the sources: the work tree's src/main and pom.xml, or with BENCH_REF set those of
#    that git commit (a fixed snapshot while others edit the work tree). The benchmark's own
#    files always come from the work tree's bench/;
# 3. resolves the runtime classpath with ./mvnw dependency:build-classpath on that pom.xml;
# 4. compiles src/main into a private directory for this run (javac, as `./mvnw compile` would,
#    with src/main/resources copied beside), so that another build cleaning or rewriting the
#    shared target/ while the benchmark runs cannot pull classes from under the gateway; then
#    compiles bench/<Name>Bench.java with bench/BenchSupport.java into the same private place;
# 5. runs the benchmark: Kulipa on its embedded PostgreSQL, all traffic on 127.0.0.1. It stops
#    by itself (every phase is bounded and a watchdog ends a hung run).
# The full output (gateway log included) goes to a log file; progress and the report are shown.
set -euo pipefail

usage="usage: bench/run.sh Deposits|Payouts [JVM options]"
name="${1:-}"
case "$name" in
  Deposits|deposits) name=Deposits ;;
  Payouts|payouts) name=Payouts ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
shift
lower="$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]')"
script="${BENCH_SCRIPT:-bench/run.sh $name}"
me="${script##*/}"; me="${me%% *}"; me="${me%.sh}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ -n "${JAVA_HOME:-}" ]; then
  java_home="$JAVA_HOME"
elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  java_home=/usr/lib/jvm/temurin-25-jdk-amd64
else
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
fi
export JAVA_HOME="$java_home"
java="$java_home/bin/java"
javac="$java_home/bin/javac"
spec="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
if [ -z "$spec" ] || [ "${spec%%.*}" -lt 25 ]; then
  echo "$me: $java is Java ${spec:-?}; Java 25 is needed (set JAVA_HOME)" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/kulipa-bench-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out_dir="${BENCH_OUT_DIR:-${TMPDIR:-/tmp}/kulipa-bench}"
mkdir -p "$out_dir"
log="$out_dir/$lower-$stamp.log"
report="$out_dir/$lower-$stamp.report.txt"

if [ -n "${BENCH_REF:-}" ]; then
  commit="$(git rev-parse --verify "${BENCH_REF}^{commit}")"
  src="$work/src"
  mkdir -p "$src"
  git archive "$commit" src/main pom.xml | tar -x -C "$src"
  sources="git commit ${commit:0:12} ($BENCH_REF)"
else
  src="$root"
  if git rev-parse --git-dir >/dev/null 2>&1; then
    head="$(git rev-parse --short=12 HEAD 2>/dev/null || echo none)"
    if [ -n "$(git status --porcelain -- src/main pom.xml 2>/dev/null)" ]; then
      sources="work tree (git $head with local changes under src/main or pom.xml)"
    else
      sources="work tree (git $head, clean)"
    fi
  else
    sources="work tree"
  fi
fi
echo "$me: sources: $sources"

echo "$me: resolving the runtime classpath"
./mvnw -q -f "$src/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$work/classpath.txt" >"$work/mvn.log" 2>&1 || { cat "$work/mvn.log" >&2; exit 1; }
deps="$(cat "$work/classpath.txt")"

echo "$me: compiling src/main into $work/classes"
find "$src/src/main/java" -name '*.java' >"$work/sources.txt"
if ! "$javac" --release 25 -encoding UTF-8 -nowarn -Xlint:none -proc:none -d "$work/classes" -cp "$deps" \
    @"$work/sources.txt" >"$work/javac.log" 2>&1; then
  cat "$work/javac.log" >&2
  echo "$me: src/main does not compile; BENCH_REF=HEAD benchmarks the last commit instead" >&2
  exit 1
fi
cp -R "$src/src/main/resources/." "$work/classes/"

echo "$me: compiling bench/${name}Bench.java and bench/BenchSupport.java"
if ! "$javac" --release 25 -encoding UTF-8 -nowarn -Xlint:none -proc:none -d "$work/bench-classes" \
    -cp "$work/classes:$deps" "$root/bench/BenchSupport.java" "$root/bench/${name}Bench.java" \
    >"$work/javac-bench.log" 2>&1; then
  cat "$work/javac-bench.log" >&2
  echo "$me: the benchmark does not compile against these sources" >&2
  exit 1
fi

command_line="$script"
for arg in "$@"; do command_line+=" $(printf '%q' "$arg")"; done
if [ -n "${BENCH_REF:-}" ]; then command_line="BENCH_REF=$(printf '%q' "$BENCH_REF") $command_line"; fi

echo "$me: $("$java" -version 2>&1 | head -1) at $java_home"
echo "$me: full log in $log"
set +e
"$java" -cp "$work/bench-classes:$work/classes:$deps" -Dbench.reportFile="$report" \
  -Dbench.sources="$sources" -Dbench.command="$command_line" "$@" "${name}Bench" \
  >"$log" 2>&1 &
pid=$!
# Ctrl-C reaches the JVM too, whose shutdown hook stops Kulipa and PostgreSQL: wait for that
# before the EXIT trap removes the classes it runs from. A TERM sent to this script is passed on.
trap 'wait "$pid" 2>/dev/null; exit 130' INT
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; exit 143' TERM
# Progress lines while it runs (the gateway's own log stays in the file).
tail -n +1 -F --pid="$pid" "$log" 2>/dev/null | grep --line-buffered '^bench:' &
wait "$pid"
status=$?
sleep 1
set -e
if [ -s "$report" ]; then
  cat "$report"
  echo "$me: report saved as $report"
else
  echo "$me: no report; the end of $log:" >&2
  tail -n 40 "$log" >&2
fi
exit "$status"
