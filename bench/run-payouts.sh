#!/usr/bin/env bash
# Runs the payouts benchmark (bench/PayoutsBench.java) against Kulipa's current sources.
#
#   bench/run-payouts.sh [JVM options, e.g. -Dbench.measureSeconds=60 -Dbench.httpClients=64]
#   BENCH_REF=HEAD bench/run-payouts.sh      # benchmark a git commit instead of the work tree
#
# The same as `bench/run.sh Payouts …`; see bench/run.sh for the JDK choice, the private
# compile and the log and report files.
set -euo pipefail
BENCH_SCRIPT=bench/run-payouts.sh exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" Payouts "$@"
