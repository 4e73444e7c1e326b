#!/usr/bin/env bash
# Smoke test of the README's start command on the embedded default database: start, GET /status 200,
# a second instance on the same DATA_DIR is refused naming it, SIGKILL and restart keeps the data,
# SIGTERM exits 0. Run from the repository root.
set -euo pipefail
data_dir=$(mktemp -d /tmp/cartella-smoke-XXXXXX)
# Below Linux's ephemeral range (32768–60999), where an outgoing connection may already hold the port
# (as test/helpers/ports.ts).
port=$((20000 + RANDOM % 6000))
pg_port=$((26000 + RANDOM % 6000))
export DATA_DIR="$data_dir" PORT="$port" EMBEDDED_PG_PORT="$pg_port" LOG_LEVEL=warn BOOTSTRAP_ADMIN_SUBJECT=smoke-admin
unset DATABASE_URL
cleanup() { [ -n "${pid:-}" ] && kill -9 -- "-$pid" 2>/dev/null || true; rm -rf "$data_dir"; }
# npm runs the server in a child process: signals go to the server itself (or to the whole group for SIGKILL).
server_pid() { pgrep -g "$pid" -f "server\.(js|ts)" | grep -v "^$pid$" | tail -n 1; }
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$port/status" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "the service did not answer GET /status in 10 s"; return 1
}

start=$(date +%s%N)
setsid npm start >"$data_dir/first.log" 2>&1 & pid=$!
wait_ready
echo "first start: $(( ($(date +%s%N) - start) / 1000000 )) ms to GET /status 200"

if DATA_DIR="$data_dir" PORT=$((port + 1)) npm start >"$data_dir/second.log" 2>&1; then
  echo "a second instance on the same DATA_DIR was not refused"; exit 1
fi
grep -q "$data_dir" "$data_dir/second.log" || { echo "the refusal does not name the directory:"; cat "$data_dir/second.log"; exit 1; }
echo "second instance refused, naming $data_dir"

token=$(npm run -s cli -- token --subject smoke-admin)
curl -fsS -X POST "http://127.0.0.1:$port/v1/organisations" -H "authorization: Bearer $token" \
  -H 'content-type: application/json' -d '{"name":"Comune di Prova","belfioreCode":"Z999","istatCode":"999999"}' >/dev/null

kill -9 -- "-$pid"; wait "$pid" 2>/dev/null || true
sleep 0.2
curl -fsS "http://127.0.0.1:$port/status" >/dev/null 2>&1 && { echo "the service still answers after SIGKILL"; exit 1; }
start=$(date +%s%N)
setsid npm start >"$data_dir/third.log" 2>&1 & pid=$!
wait_ready
echo "restart after SIGKILL: $(( ($(date +%s%N) - start) / 1000000 )) ms to GET /status 200"
me=$(curl -fsS "http://127.0.0.1:$port/v1/me" -H "authorization: Bearer $token")
echo "$me" | grep -q platform_admin || { echo "data lost after SIGKILL: $me"; exit 1; }

kill -TERM "$(server_pid)"
if wait "$pid"; then echo "SIGTERM: clean exit 0"; else echo "SIGTERM: exit code $?"; exit 1; fi
pid=
