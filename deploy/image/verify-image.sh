#!/usr/bin/env bash
# Checks the image tarball without a container engine: unpacks its layers into a root file system and runs the
# image's entrypoint in it the way a container runtime would, and the way deploy/kubernetes/statefulset.yaml does:
#   - as the image's user (65532), with the image's environment and working directory;
#   - in its own mount and PID namespaces, with /proc, a minimal /dev, the root file system read-only,
#     an empty tmpfs on /tmp (the pod's emptyDir) and an empty directory owned by the user on the state volume
#     (the pod's persistent volume).
# It runs `--version`, `validate-policy` (the built-in policy and a wrong one), a `replay` of a few JSON-lines events
# (in-memory stores), and with --with-broker `run` against a real Kafka broker and schema registry until
# /health/ready answers (which opens RocksDB stores: the JNI library must load from the image's own libraries),
# then stops it with SIGTERM.
#
# Usage: verify-image.sh [--with-broker] [IMAGE_TAR]   (default target/cart-rescue-image.tar)
#   --with-broker  needs `mvn -o -q test-compile` (for the stack launcher in target/test-classes), target/cart-rescue.jar
#                  and target/local (both made by `mvn package`)
# Needs: root (namespaces, mounts, chroot), python3, tar; curl for --with-broker.
set -euo pipefail

with_broker=0
tarball=""
for arg in "$@"; do
  case "$arg" in
    --with-broker) with_broker=1 ;;
    -*) echo "verify-image.sh: unknown option $arg" >&2; exit 2 ;;
    *) tarball="$arg" ;;
  esac
done
project="$(cd "$(dirname "$0")/../.." && pwd)"
tarball="$(realpath "${tarball:-$project/target/cart-rescue-image.tar}")"
[ -f "$tarball" ] || { echo "verify-image.sh: no $tarball (build it with: mvn -B -Pimage -DskipTests package)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "verify-image.sh: needs root (mount and PID namespaces, chroot)" >&2; exit 2; }

work="$(mktemp -d)"
holder_pid=""
cleanup() {
  if [ -n "$holder_pid" ]; then kill "$holder_pid" 2>/dev/null || true; wait "$holder_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }

# --- Unpack ---------------------------------------------------------------------------------------------------
mkdir -p "$work/image" "$work/rootfs"
tar -xf "$tarball" -C "$work/image"
config() { python3 - "$work/image" "$1" <<'PY'
import json, sys, os
image, what = sys.argv[1], sys.argv[2]
manifest = json.load(open(os.path.join(image, "manifest.json")))[0]
config = json.load(open(os.path.join(image, manifest["Config"])))["config"]
if what == "layers":
    print("\n".join(manifest["Layers"]))
elif what in ("Entrypoint", "Cmd", "Env"):
    print("\n".join(config.get(what) or []))
elif what in ("ExposedPorts", "Volumes"):
    print("\n".join(sorted(config.get(what) or {})))
elif what == "Labels":
    print("\n".join(f"{k}={v}" for k, v in sorted((config.get("Labels") or {}).items())))
else:
    print(config.get(what) or "")
PY
}
while read -r layer; do
  if tar -tzf "$work/image/$layer" 2>/dev/null | grep '\(^\|/\)\.wh\.' >/dev/null; then
    echo "verify-image.sh: $layer deletes files (whiteouts), which this script does not apply" >&2; exit 1
  fi
  tar --warning=no-unknown-keyword --same-owner --same-permissions --numeric-owner -xzf "$work/image/$layer" -C "$work/rootfs"
done < <(config layers)
rootfs="$work/rootfs"
mapfile -t entrypoint < <(config Entrypoint)
mapfile -t env < <(config Env)
user="$(config User)"
workdir="$(config WorkingDir)"
version="$(config Labels | sed -n 's/^org.opencontainers.image.version=//p')"
echo "image:      $(basename "$tarball") ($(du -h "$tarball" | cut -f1); unpacked $(du -sh "$rootfs" | cut -f1))"
echo "entrypoint: ${entrypoint[*]}"
echo "cmd:        $(config Cmd | paste -sd' ')"
echo "user:       $user, working directory $workdir, volumes $(config Volumes | paste -sd' '), ports $(config ExposedPorts | paste -sd' ')"
echo "env:        ${env[*]}"

uid="${user%%:*}"; gid="${user#*:}"
if [[ "$uid" =~ ^[0-9]+$ && "$gid" =~ ^[0-9]+$ && "$uid" != 0 ]] && grep -q "^[^:]*:x:$uid:$gid:" "$rootfs/etc/passwd"; then
  pass "the image runs as uid $uid gid $gid, which /etc/passwd names ($(grep "^[^:]*:x:$uid:" "$rootfs/etc/passwd" | cut -d: -f1))"
else
  fail "the image's user '$user' is not a non-root uid:gid listed in /etc/passwd"
fi

# --- Running in the image -------------------------------------------------------------------------------------
mkdir -p "$rootfs/proc" "$rootfs/dev" "$work/state"
chown "$uid:$gid" "$work/state"
chmod 700 "$work/state"
cat > "$work/enter.py" <<'PY'
# enter.py ROOT WORKDIR UID GID ENV... -- ARGV...: what a container runtime does last
import os, sys
root, workdir, uid, gid = sys.argv[1:5]
rest = sys.argv[5:]
split = rest.index("--")
env = dict(item.split("=", 1) for item in rest[:split])
argv = rest[split + 1:]
os.chroot(root)
os.chdir(workdir)
os.setgroups([])
os.setgid(int(gid))
os.setuid(int(uid))
os.execve(argv[0], argv, env)
PY
# in_image [--entrypoint PATH] [NAME=VALUE...] -- ARGS...: the image's entrypoint with ARGS in place of its command
in_image() {
  local -a command=("${entrypoint[@]}") extra=()
  if [ "$1" = "--entrypoint" ]; then command=("$2"); shift 2; fi
  while [ "$1" != "--" ]; do extra+=("$1"); shift; done
  shift
  unshare --mount --pid --fork --propagation private bash -c '
    set -e
    root="$1" state="$2" volume="$3"; shift 3
    mount --bind "$root" "$root"
    mount -o remount,bind,ro "$root"
    mount -t proc proc "$root/proc"
    mount -t tmpfs -o mode=755,nosuid tmpfs "$root/dev"
    for device in null zero random urandom; do
      touch "$root/dev/$device"; mount --bind "/dev/$device" "$root/dev/$device"
    done
    mkdir "$root/dev/shm"
    mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/dev/shm"
    mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/tmp"
    mount --bind "$state" "$root$volume"
    exec python3 "$@"
  ' bash "$rootfs" "$work/state" "$workdir" "$work/enter.py" "$rootfs" "$workdir" "$uid" "$gid" \
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "HOSTNAME=cart-rescue-verify" \
    "HOME=$(grep "^[^:]*:x:$uid:" "$rootfs/etc/passwd" | cut -d: -f6)" "${env[@]}" "${extra[@]}" \
    -- "${command[@]}" "$@"
}
# check NAME EXPECTED-EXIT-CODE PATTERN IN_IMAGE-ARGUMENTS...: runs, shows the output, checks exit code and pattern
check() {
  local name="$1" expected="$2" pattern="$3"; shift 3
  local code=0
  in_image "$@" > "$work/out" 2>&1 || code=$?
  if [ "${shown:-12}" != 0 ]; then
    grep -v '\[info\]\[library\]' "$work/out" | sed -n "1,${shown:-12}s/^/      | /p" || true
  fi
  if [ "$code" = "$expected" ] && grep -q -- "$pattern" "$work/out"; then
    pass "$name (exit code $code)"
  else
    fail "$name: exit code $code (expected $expected), output ${pattern:+without '$pattern'}"
  fi
}

shown=0 check "the runtime starts and finds the user in /etc/passwd" 0 "user.name = cart-rescue" \
  --entrypoint /opt/java/bin/java -- -XshowSettings:properties -version
grep -E "java.home|java.runtime.version|java.io.tmpdir|user.(dir|home|name) " "$work/out" \
  | sed 's/^ */      | /'

check "--version" 0 "^cart-rescue $version\$" -- --version

check "validate-policy (built-in policy)" 0 "built-in policy: valid" -- validate-policy

cat > "$work/state/wrong-policy.yaml" <<'EOF'
version: wrong-1
arbitration:
  holdout:
    percent: 80
EOF
chown "$uid:$gid" "$work/state/wrong-policy.yaml"
check "validate-policy (a wrong policy is refused)" 1 "arbitration.holdout.percent: 80 is out of range" \
  -- validate-policy "$workdir/wrong-policy.yaml"

cat > "$work/state/events.jsonl" <<'EOF'
{"eventId":"e-1","eventType":"Product Added","eventTime":"2026-03-02T10:00:00Z","sessionId":"s-1","anonymousId":"a-1","customerId":"c-1","product":{"productId":"p-1","price":"139.90"},"cart":{"value":139.9,"currency":"EUR","itemCount":1},"device":{"type":"DESKTOP","locale":"de-DE"}}
{"eventId":"e-2","eventType":"begin_checkout","eventTime":1772445620000,"sessionId":"s-1","anonymousId":"a-1","checkout":{"step":1}}
{"eventId":"e-3","eventType":"PAYMENT_FAILED","eventTime":"2026-03-02T11:00:50+01:00","sessionId":"s-1","anonymousId":"a-1","error":{"kind":"PAYMENT_DECLINED","code":"card_declined"}}
{"eventId":"e-4","eventType":"PAYMENT_FAILED","eventTime":"2026-03-02T10:01:10Z","sessionId":"s-1","anonymousId":"a-1","error":{"kind":"PAYMENT_DECLINED","code":"card_declined"}}
EOF
chown "$uid:$gid" "$work/state/events.jsonl"
check "replay" 0 "^replayed 4 events" -- replay --input events.jsonl --out replay-out --flush-at-end
grep -q "^replayed 4 events (0 malformed, 0 dead-lettered): 3 decisions, 1 interventions" "$work/out" \
  && grep -q '"type":"PAYMENT_HELP"' "$work/state/replay-out/interventions.jsonl" \
  && pass "replay published the payment-help offer after the second payment failure" \
  || fail "replay did not publish the expected payment-help offer"

# --- run, against a real broker and schema registry -----------------------------------------------------------
if [ "$with_broker" = 1 ]; then
  launcher="$project/target/test-classes/io/cartrescue/local/LocalStackHolder.class"
  [ -f "$launcher" ] && [ -f "$project/target/cart-rescue.jar" ] \
    || { echo "verify-image.sh: --with-broker needs mvn package and mvn test-compile first" >&2; exit 2; }
  mkdir -p "$work/stack"
  java -Dcartrescue.local.dir="$project/target/local" -cp "$project/target/test-classes:$project/target/cart-rescue.jar" \
    io.cartrescue.local.LocalStackHolder "$work/stack" > "$work/stack.log" 2>&1 &
  holder_pid=$!
  for _ in $(seq 1 120); do [ -f "$work/stack/ready" ] && break; sleep 1; done
  [ -f "$work/stack/ready" ] || { cat "$work/stack.log"; echo "verify-image.sh: the local stack did not start" >&2; exit 1; }
  read -r _ _ kafka_port _ registry_port _ < "$work/stack/ready" || true # the file has no final newline
  http_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  echo "      broker 127.0.0.1:$kafka_port, registry 127.0.0.1:$registry_port, health endpoint 127.0.0.1:$http_port"
  in_image "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$kafka_port" \
    "CART_RESCUE_SCHEMA_REGISTRY_URL=http://127.0.0.1:$registry_port/apis/ccompat/v7" \
    "CART_RESCUE_TOPICS_AUTO_CREATE=true" "CART_RESCUE_TOPICS_PARTITIONS=2" \
    "KAFKA_STATE_DIR=$workdir" "CART_RESCUE_HTTP_PORT=$http_port" \
    "JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=60 -Xlog:library=info:stderr" \
    -- run > "$work/run.log" 2>&1 &
  run_pid=$!
  ready=""
  for _ in $(seq 1 120); do
    if ready="$(curl -s -m 2 "http://127.0.0.1:$http_port/health/ready" 2>/dev/null)" \
      && [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/health/ready")" = 200 ]; then
      break
    fi
    ready=""
    kill -0 "$run_pid" 2>/dev/null || break
    sleep 1
  done
  if [ -n "$ready" ]; then
    pass "run: /health/ready answers 200: $ready"
    stores="$(find "$work/state" -name 'OPTIONS-*' -path '*/rocksdb/*' | wc -l)"
    owners="$(find "$work/state" -path '*/rocksdb/*' -printf '%u\n' | sort -u | paste -sd,)"
    [ "$stores" -gt 0 ] && pass "run: $stores RocksDB stores open in the state volume, files owned by $owners" \
      || fail "run: no RocksDB store in the state volume"
    grep -q 'Loaded library .*librocksdbjni' "$work/run.log" \
      && pass "run: RocksDB's JNI library loaded from the image: $(grep -o 'Loaded library [^ ]*librocksdbjni[^ ]*' "$work/run.log" | head -1)" \
      || fail "run: RocksDB's JNI library was not loaded"
  else
    fail "run: /health/ready did not answer 200"
  fi
  # SIGTERM to the JVM, as Kubernetes sends it (it is PID 1 in its PID namespace, the child of unshare, which
  # ignores SIGTERM itself; $run_pid is the subshell that runs unshare).
  unshare_pid="$(ps -o pid= --ppid "$run_pid" | tr -d ' ')"
  jvm_pid="$(ps -o pid= --ppid "$unshare_pid" | tr -d ' ')"
  started=$SECONDS
  [ -n "$jvm_pid" ] && kill -TERM "$jvm_pid"
  code=0; wait "$run_pid" || code=$?
  sed 's/^/      | /' "$work/run.log" | tail -15
  if [ "$code" = 0 ] || [ "$code" = 143 ]; then
    pass "run: stopped on SIGTERM in $((SECONDS - started)) s (exit code $code)"
  else
    fail "run: exit code $code after SIGTERM"
  fi
fi

if [ "$failures" = 0 ]; then echo "verify-image.sh: all checks passed"; else echo "verify-image.sh: $failures failed"; exit 1; fi
