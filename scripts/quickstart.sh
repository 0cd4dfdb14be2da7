#!/usr/bin/env bash
# The README's first command: set up this host, start shoald, create a one-node swarm and deploy
# examples/hello. Safe to run again: it does only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "quickstart: run as root (it installs packages and starts daemons)" >&2; exit 1; }

bash scripts/setup-host.sh
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build --silent

# shoal and shoald on PATH: links into /usr/local/bin that point at this checkout's build.
for bin in shoal:cli shoald:daemon; do
  ln -sfn "$PWD/packages/${bin#*:}/dist/main.js" "/usr/local/bin/${bin%%:*}"
done

shoal() { node packages/cli/dist/main.js "$@"; }
node_ls() { shoal node ls 2>&1 || true; }
daemon_answers() { [[ "$(node_ls)" != *"is shoald running"* ]]; }

if ! daemon_answers; then
  echo "starting shoald (log: /var/log/shoald.log)"
  mkdir -p /run/shoal
  setsid nohup node packages/daemon/dist/main.js >>/var/log/shoald.log 2>&1 </dev/null &
  echo $! >/run/shoal/shoald.pid
  for _ in $(seq 1 100); do daemon_answers && break; sleep 0.2; done
  daemon_answers || { echo "quickstart: shoald did not start; see /var/log/shoald.log" >&2; exit 1; }
fi
if [[ "$(node_ls)" == *"not a swarm manager"* ]]; then
  shoal swarm init --advertise-addr 127.0.0.1
fi
shoal stack deploy -c examples/hello/compose.yml hello
shoal service ls
echo
echo "hello answers on port 8080 of this host: curl http://localhost:8080/"
echo "shoal and shoald are in /usr/local/bin; shoald logs to /var/log/shoald.log;"
echo "stop it with: kill \$(cat /run/shoal/shoald.pid)"
