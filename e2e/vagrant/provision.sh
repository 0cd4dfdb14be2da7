#!/usr/bin/env bash
# Provisions one e2e VM: Docker Engine, Node.js 20, shoal built from /shoal, shoald as a systemd
# unit listening on the private network address. Joining the swarm is left to the scenarios.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

apt-get update -qq
apt-get install -y -qq docker.io iptables busybox-static curl ca-certificates
if ! command -v node >/dev/null || ! node --version | grep -q '^v20'; then
  apt-get install -y -qq nodejs npm
fi
systemctl enable --now docker

cd /shoal
bash scripts/setup-host.sh
npm ci --no-audit --no-fund
npm run build
ln -sf /shoal/node_modules/.bin/shoal /usr/local/bin/shoal

cat >/etc/systemd/system/shoald.service <<UNIT
[Unit]
Description=shoal daemon
After=docker.service
Requires=docker.service

[Service]
ExecStart=/usr/bin/node /shoal/packages/daemon/dist/main.js --advertise-addr ${SHOAL_ADVERTISE_ADDR}:4242 --listen-addr ${SHOAL_ADVERTISE_ADDR}:4242
Restart=on-failure
KillMode=process

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now shoald
