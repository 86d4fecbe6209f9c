#!/usr/bin/env bash
# Runs the deposits benchmark (bench/DepositsBench.java) against Kulipa's current sources.
#
#   bench/run-deposits.sh [JVM options, e.g. -Dbench.measureSeconds=60 -Dbench.httpClients=64]
#   BENCH_REF=HEAD bench/run-deposits.sh     # benchmark a git commit instead of the work tree
#
# The same as `bench/run.sh Deposits …`; see bench/run.sh for the JDK choice, the private
# compile and the log and report files.
set -euo pipefail
BENCH_SCRIPT=bench/run-deposits.sh exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" Deposits "$@"
