#!/usr/bin/env bash
# Crash test of everything the CLI writes: kills `offline`, `retrain`, `profile` and `train` with SIGKILL at random
# moments and checks, after every kill, that the output is the old valid one or a new valid one (never half of
# each), and that the next complete run of the same command leaves no litter (.DIR.tmp-*, .DIR.old-*, .NAME.*.tmp).
# Too slow for the test suite (a JVM start and a real run per kill); the suite simulates the same crash states
# directly (legodnn StoreCrashStatesTest, tensor AtomicWriteTest).
#
#   scripts/kill9-store.sh [KILLS_PER_COMMAND] [WORK_DIR]     (default 13 kills per command: 52 in all)
#
# A kill counts only when the run was still going (attempts that find it finished are checked too, and retried,
# at most 3 x KILLS_PER_COMMAND attempts per command).
#
# Needs the CLI jar (mvn -pl cli -am package -DskipTests), python3 and sha256sum. The models are small (a random
# CIFAR ResNet-8 teacher on 28x28 images, 2 sparsities, one thread) so that a run takes seconds. Half the kills
# fall anywhere in a run, half in its last 40 %, where the outputs are written. Every checksum is recomputed
# here, independently of the Java reader. Prints one line per kill and a summary; exits 1 if any check failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kills="${1:-13}"
work="${2:-$(mktemp -d /tmp/kill9-store.XXXXXX)}"
jar="$root/cli/target/legodnn-cli.jar"
options="$root/cli/target/jvm.options"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -f "$jar" ] && [ -f "$options" ] || { echo "kill9-store: build the CLI jar first (mvn -pl cli -am package -DskipTests)" >&2; exit 2; }
mkdir -p "$work"
cd "$work"
failures=0
total=0
declare -A outcome

# a complete run; its stderr (the data set line, or why it failed) goes to last.err, shown when a setup run fails
legodnn() { "$java" @"$options" -jar "$jar" "$@" 2>last.err; }
trap 'echo "kill9-store: failed; last stderr:" >&2; cat last.err >&2' ERR

# verify.py KIND PATH: prints "ok DIGEST" for a complete valid output (a store whose listed files all match their
# SHA-256 and whose index is complete; a safetensors file whose header and data agree), "missing" or "bad: why".
cat > verify.py <<'PY'
import hashlib, json, os, struct, sys
kind, path = sys.argv[1], sys.argv[2]
def sha(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()
if not os.path.exists(path):
    print("missing"); sys.exit(0)
try:
    if kind == "store":
        idx = json.load(open(os.path.join(path, "index.json")))
        assert idx["format"] == "legodnn-block-store", "format"
        for name, want in idx["files"].items():
            got = sha(os.path.join(path, name))
            assert got == want, "checksum of " + name
        for b in idx["blocks"]:
            for d in b["descendants"]:
                assert d["file"] in idx["files"], "unlisted " + d["file"]
        print("ok", sha(os.path.join(path, "index.json")))
    else:
        with open(path, "rb") as f:
            n = struct.unpack("<Q", f.read(8))[0]
            header = json.loads(f.read(n))
            end = max(v["data_offsets"][1] for k, v in header.items() if k != "__metadata__")
        assert os.path.getsize(path) == 8 + n + end, "size"
        print("ok", sha(path))
except Exception as e:
    print("bad:", repr(e)[:200])
PY

verify() { python3 verify.py "$1" "$2"; }

# litter DIR: the hidden entries in DIR, which is where every writer puts its temporary names (.DIR.tmp-TAG,
# .DIR.old-TAG, .NAME.TAG.tmp); nothing else here is hidden, so after a complete run there must be none
litter() { (cd "$1" && ls -A | grep -E '^\.' || true); }

echo "kill9-store: work directory $work, $kills kills per command"
legodnn train --model cifar_resnet8 --dataset fashion-mnist --epochs 1 --limit 64 --test-limit 16 --threads 1 \
    --out teacher.safetensors >/dev/null
common=(--threads 1)
offline_args=(offline --model cifar_resnet8 --weights teacher.safetensors --dataset fashion-mnist --sparsities 0,0.5
    --epochs 1 --limit 64 --test-limit 32 "${common[@]}")
legodnn "${offline_args[@]}" --out store >/dev/null
legodnn "${offline_args[@]}" --out offline-store >/dev/null

run_command() {   # NAME: the command line of NAME
    case "$1" in
        offline) echo "${offline_args[*]} --out offline-store" ;;
        retrain) echo "retrain --store store --epochs 1 --limit 64 ${common[*]}" ;;
        profile) echo "profile --store store --test-limit 32 ${common[*]}" ;;
        train) echo "train --model cifar_resnet8 --dataset fashion-mnist --epochs 2 --limit 128 --test-limit 16 --out w.safetensors ${common[*]}" ;;
    esac
}
output_of() { case "$1" in offline) echo "store offline-store" ;; retrain|profile) echo "store store" ;; train) echo "file w.safetensors" ;; esac; }

for cmd in offline retrain profile train; do
    read -r kind out <<<"$(output_of "$cmd")"
    # one complete run: the duration, and an output to start from
    t0=$(date +%s.%N)
    legodnn $(run_command "$cmd") >/dev/null
    duration=$(echo "$(date +%s.%N) - $t0" | bc)
    printf 'kill9-store: %s takes %.1f s\n' "$cmd" "$duration"
    k=0
    for ((attempt = 1; k < kills && attempt <= 3 * kills; attempt++)); do
        before="$(verify "$kind" "$out")"
        if ((attempt % 2)); then delay=$(python3 -c "import random; print(round(random.uniform(0.3, $duration * 0.98), 2))")
        else delay=$(python3 -c "import random; print(round(random.uniform($duration * 0.6, $duration * 0.98), 2))"); fi
        "$java" @"$options" -jar "$jar" $(run_command "$cmd") >/dev/null 2>&1 &
        pid=$!
        sleep "$delay"
        if kill -9 "$pid" 2>/dev/null; then killed=killed; k=$((k + 1)); else killed="finished first"; fi
        wait "$pid" 2>/dev/null || true
        after="$(verify "$kind" "$out")"
        if [ "$after" = "$before" ]; then state=old
        elif [[ "$after" == ok* ]]; then state=new
        elif [ "$after" = missing ] && [ "$kind" = store ] && aside="$(litter . | grep -E "^\.$out\.old-" | head -1)" \
                && [ -n "$aside" ] && [ "$(verify store "$aside")" = "$before" ]; then
            # killed between the two renames: the old store is set aside; the reader must say so, not use it
            msg="$("$java" @"$options" -jar "$jar" optimize --profiles "$out" --latency-ms 100 --memory-mb 100 2>&1 >/dev/null || true)"
            if [[ "$msg" == *"interrupted write left the previous store"* ]]; then state=aside; mv "$aside" "$out"
            else state="BROKEN(aside, reader said: $msg)"; fi
        else state="BROKEN($after)"; fi
        # the next complete run must succeed and leave no litter
        if legodnn $(run_command "$cmd") >/dev/null && [[ "$(verify "$kind" "$out")" == ok* ]]; then
            left="$(litter .)"
            [ -z "$left" ] && next=clean || next="LITTER($(echo $left))"
        else next="NEXT RUN FAILED($(tail -1 last.err))"; fi
        printf 'kill9-store: %-7s attempt %2d, SIGKILL at %5.2f s (%s): %s, next run %s\n' "$cmd" "$attempt" "$delay" \
            "$killed" "$state" "$next"
        [ "$killed" = killed ] && outcome[$cmd.$state]=$(( ${outcome[$cmd.$state]:-0} + 1 ))
        total=$((total + 1))
        if [[ "$state" == BROKEN* ]] || [ "$next" != clean ]; then failures=$((failures + 1)); fi
    done
done

echo "kill9-store: summary of the runs killed (command.state: count; old = the previous valid output, new = a complete"
echo "             new one, aside = killed between the renames: the old store set aside and named by the reader)"
for key in $(printf '%s\n' "${!outcome[@]}" | sort); do echo "  $key: ${outcome[$key]}"; done
echo "kill9-store: $total attempts, $((total - failures)) checked clean, $failures failed checks"
[ "$failures" -eq 0 ]
