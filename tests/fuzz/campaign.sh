#!/usr/bin/env bash
# The long fuzz campaign: the CI fuzz suite (tests/fuzz/fuzz.test.ts) with many more cases,
# split into shards that run in parallel, one vitest process each.
#
#   tests/fuzz/campaign.sh [cases] [seed]        # defaults: 20000 cases, seed 1
#
# Environment: EXITLAB_FUZZ_SHARDS (default: number of cores), EXITLAB_FUZZ_LOG_DIR (default:
# a new temp folder), EXITLAB_FUZZ_SHARD_TIMEOUT (seconds per shard, default 3600), and any
# EXITLAB_FUZZ_* variable fuzz.test.ts reads. Exit status 0 when every shard passed.
set -u
cd "$(dirname "$0")/../.."

CASES=${1:-${EXITLAB_FUZZ_CASES:-20000}}
SEED=${2:-${EXITLAB_FUZZ_SEED:-1}}
SHARDS=${EXITLAB_FUZZ_SHARDS:-$(nproc 2>/dev/null || echo 2)}
LOG_DIR=${EXITLAB_FUZZ_LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/exitlab-fuzz-campaign-XXXXXX")}
SHARD_TIMEOUT=${EXITLAB_FUZZ_SHARD_TIMEOUT:-3600}
mkdir -p "$LOG_DIR"

echo "fuzz campaign: $CASES cases, seed $SEED, $SHARDS shard(s); logs in $LOG_DIR"
start=$(date +%s)
pids=()
for ((k = 0; k < SHARDS; k++)); do
  EXITLAB_FUZZ_SEED=$SEED EXITLAB_FUZZ_CASES=$CASES EXITLAB_FUZZ_SHARD="$k/$SHARDS" \
    EXITLAB_FUZZ_PROGRESS="$LOG_DIR/progress-$k.txt" \
    timeout "$SHARD_TIMEOUT" npx vitest run tests/fuzz/fuzz.test.ts >"$LOG_DIR/shard-$k.log" 2>&1 &
  pids+=($!)
done

status=0
for ((k = 0; k < SHARDS; k++)); do
  if wait "${pids[$k]}"; then
    result="passed"
  else
    code=$?
    status=1
    result="FAILED (exit $code)"
    # 124: the shard hit its timeout; the progress file names the case it was running.
    [ "$code" = 124 ] && result="$result — timed out during $(cat "$LOG_DIR/progress-$k.txt" 2>/dev/null)"
  fi
  echo "shard $k/$SHARDS: $result"
  sed 's/\x1b\[[0-9;]*m//g' "$LOG_DIR/shard-$k.log" | grep -a -E "^(fuzz seed|per kind|slowest|longest error|known findings)" | sed 's/^/  /'
  sed 's/\x1b\[[0-9;]*m//g' "$LOG_DIR/shard-$k.log" | grep -a -E "^seed [0-9]+ case [0-9]+" | sed 's/^/  new: /' | head -20
done
echo "campaign took $(( $(date +%s) - start )) s; failing cases are copied to ${EXITLAB_FUZZ_KEEP_DIR:-${TMPDIR:-/tmp}/exitlab-fuzz-kept}"
exit $status
