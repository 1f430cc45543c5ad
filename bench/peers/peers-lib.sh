# Shared by the peer scripts (s3-compare.sh, tier-compare.sh); sourced, not run. The caller sets `tool` (its name
# in messages), `work` (its temporary directory), `keep` (1: keep it) and `children` (pids to stop on exit).

# cleanup: TERM every child, KILL one that ignores TERM for 10 s, then remove (or keep) the work directory.
cleanup() {
  local pid
  for pid in "${children[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${children[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$keep" = 0 ]; then rm -rf "$work"; else echo "$tool: kept $work" >&2; fi
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
  local port
  for _ in $(seq 200); do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "$tool: no free port" >&2; return 1
}

# wait_http NAME URL PID LOG: until URL answers any HTTP status, the process dies, or 120 s pass.
wait_http() {
  for _ in $(seq 1200); do
    if ! kill -0 "$3" 2>/dev/null; then
      echo "$tool: $1 exited; its log:" >&2; tail -n 30 "$4" >&2; exit 1
    fi
    if curl -s -o /dev/null --max-time 2 "$2"; then return 0; fi
    sleep 0.1
  done
  echo "$tool: $1 did not answer on $2 within 120 s; its log:" >&2; tail -n 30 "$4" >&2; exit 1
}
