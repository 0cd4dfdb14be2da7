#!/usr/bin/env bash
# The README's first command: set up this host, start shoald, create a one-node swarm and deploy
# examples/hello. Safe to run again: it does only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "quickstart: run as root (it installs packages and starts daemons)" >&2; exit 1; }

bash scripts/setup-host.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi
npm run build --silent

shoal() { node packages/cli/dist/main.js "$@"; }
if ! shoal swarm info >/dev/null 2>&1 && ! shoal node ls >/dev/null 2>&1; then
  if ! [ -S /run/shoal/shoal.sock ] || ! shoal node ls 2>&1 | grep -qv 'is shoald running'; then
    echo "starting shoald (log: /var/log/shoald.log)"
    nohup node packages/daemon/dist/main.js >>/var/log/shoald.log 2>&1 &
    for _ in $(seq 1 50); do [ -S /run/shoal/shoal.sock ] && break; sleep 0.2; done
  fi
fi
if shoal node ls 2>&1 | grep -q 'not a swarm manager'; then
  shoal swarm init --advertise-addr 127.0.0.1
fi
shoal stack deploy -c examples/hello/compose.yml hello
shoal service ls
echo
echo "hello is published on port 8080 of this host: curl http://localhost:8080/"
