#!/usr/bin/env bash
# Prepares a Debian 12 host for shoal's worker and its e2e tests. Idempotent; run as root.
#   - installs docker.io, iptables, busybox-static (and iproute2, curl, util-linux, nftables,
#     conntrack, python3: the VIP rules in each container's namespace; tcpdump, ethtool: encrypted
#     overlays and their e2e; ipvsadm: the routing mesh's IPVS backend, and its probe's reason
#     where the kernel has no IPVS) when missing
#   - starts dockerd in the background when `docker info` does not answer
#   - builds the local test images shoal/busybox:latest, shoal/hello:latest and shoal/netapp:latest
#     (no registry needed; netapp's UDP echo is compiled here, hence gcc)
# Usage: scripts/setup-host.sh [--force]   (--force rebuilds the images)
set -euo pipefail

FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1
DOCKERD_LOG=/var/log/shoal-dockerd.log
DOCKER_WAIT_SECONDS=${DOCKER_WAIT_SECONDS:-60}

log() { echo "setup-host: $*" >&2; }
die() { echo "setup-host: error: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root"

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v iptables-restore >/dev/null 2>&1 || missing+=(iptables)
  [[ -x /bin/busybox ]] || missing+=(busybox-static)
  command -v ip >/dev/null 2>&1 || missing+=(iproute2)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v nsenter >/dev/null 2>&1 || missing+=(util-linux)
  [[ -f /usr/lib/x86_64-linux-gnu/libc.a ]] && command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
  command -v nft >/dev/null 2>&1 || missing+=(nftables)
  command -v conntrack >/dev/null 2>&1 || missing+=(conntrack)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  command -v tcpdump >/dev/null 2>&1 || missing+=(tcpdump)
  command -v ethtool >/dev/null 2>&1 || missing+=(ethtool)
  command -v ipvsadm >/dev/null 2>&1 || missing+=(ipvsadm)
  if ((${#missing[@]} == 0)); then return; fi
  log "installing ${missing[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
}

start_dockerd() {
  if docker info >/dev/null 2>&1; then return; fi
  log "starting dockerd (log: $DOCKERD_LOG)"
  setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 < /dev/null &
  local waited=0
  until docker info >/dev/null 2>&1; do
    ((waited < DOCKER_WAIT_SECONDS)) || die "dockerd did not answer within ${DOCKER_WAIT_SECONDS}s; see $DOCKERD_LOG"
    sleep 1
    waited=$((waited + 1))
  done
  log "dockerd is up"
}

# Bump when an image's recipe changes, so hosts that built an older one rebuild it.
IMAGE_RECIPE=2

# shoal/netapp's own recipe number (bump when scripts/test-images/ changes).
NETAPP_RECIPE=3

image_missing() {
  ((FORCE == 1)) && return 0
  local recipe
  recipe=$(docker image inspect -f '{{ index .Config.Labels "io.shoal.recipe" }}' "$1" 2>/dev/null) || return 0
  [[ "$recipe" != "${2:-$IMAGE_RECIPE}" ]]
}

# A root filesystem holding the static busybox and a symlink per applet.
make_busybox_rootfs() {
  local root=$1
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,proc,sys,dev,var/run}
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  local applet
  while read -r applet; do
    [[ -z "$applet" || "$applet" == "bin/busybox" ]] && continue
    [[ -e "$root/$applet" ]] || ln -s /bin/busybox "$root/$applet"
  done < <(/bin/busybox --list-full)
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}

import_rootfs() {
  local root=$1 name=$2 cmd=$3 recipe=${4:-$IMAGE_RECIPE} entrypoint=${5:-}
  local extra=()
  [[ -n "$entrypoint" ]] && extra=(--change "ENTRYPOINT $entrypoint")
  tar -C "$root" -c . | docker import "${extra[@]}" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL io.shoal.recipe=$recipe" \
    --change "CMD $cmd" - "$name" >/dev/null
  log "built $name"
}

build_busybox_image() {
  image_missing shoal/busybox:latest || return 0
  local tmp; tmp=$(mktemp -d)
  make_busybox_rootfs "$tmp/rootfs"
  import_rootfs "$tmp/rootfs" shoal/busybox:latest '["/bin/sh"]'
  rm -rf "$tmp"
}

# httpd on port 80 whose GET / (and /cgi-bin/hostname) answers with the container's hostname.
# The shell stays PID 1 and exits on SIGTERM (httpd as PID 1 would ignore it and wait for SIGKILL).
build_hello_image() {
  image_missing shoal/hello:latest || return 0
  local tmp; tmp=$(mktemp -d)
  local root="$tmp/rootfs"
  make_busybox_rootfs "$root"
  mkdir -p "$root/www/cgi-bin"
  echo "shoal hello" >"$root/www/index.html"
  cat >"$root/www/cgi-bin/hostname" <<'EOF'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n'
hostname
EOF
  chmod 755 "$root/www/cgi-bin/hostname"
  import_rootfs "$root" shoal/hello:latest \
    '["/bin/sh", "-c", "hostname > /www/index.html; httpd -f -p 80 -h /www & trap \"kill $!; exit 0\" TERM INT; wait"]'
  rm -rf "$tmp"
}

# The overlay e2e's stand-in for the voting app (scripts/test-images/netapp.sh says the roles):
# httpd whose /cgi-bin/who answers "HOSTNAME CALLER_ADDRESS", front end and worker roles that
# call back ends by name, a static UDP echo on 9000 (busybox's nc has no UDP), a 1 MiB /big.
build_netapp_image() {
  image_missing shoal/netapp:latest "$NETAPP_RECIPE" || return 0
  local src tmp root
  src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/test-images"
  tmp=$(mktemp -d)
  root="$tmp/rootfs"
  make_busybox_rootfs "$root"
  mkdir -p "$root/www/cgi-bin"
  gcc -static -Os -Wall -o "$root/bin/udp-echo" "$src/udp-echo.c"
  install -m 755 "$src/netapp.sh" "$root/bin/netapp"
  install -m 755 "$src/who.cgi" "$root/www/cgi-bin/who"
  install -m 755 "$src/call.cgi" "$root/www/cgi-bin/call"
  head -c 1048576 /dev/urandom >"$root/www/big"
  sha256sum "$root/www/big" | cut -d' ' -f1 >"$root/www/big.sha256"
  import_rootfs "$root" shoal/netapp:latest '["backend"]' "$NETAPP_RECIPE" '["/bin/netapp"]'
  rm -rf "$tmp"
}

install_packages
start_dockerd
build_busybox_image
build_hello_image
build_netapp_image
log "ready"
