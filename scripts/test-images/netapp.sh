#!/bin/sh
# shoal/netapp: the overlay e2e's stand-in for the voting app's images (busybox only).
#   netapp backend           httpd on 80 and the UDP echo on 9000
#   netapp frontend NAME...  the backend, and /cgi-bin/call calls every NAME by HTTP
#   netapp worker NAME...    the backend, and calls every NAME in a loop (log: /tmp/calls.log)
#   netapp loop NAME LOG     calls NAME without pause, one line per call into LOG:
#                            "START END ok|FAIL ANSWER" (START, END: seconds of /proc/uptime),
#                            until the file LOG.stop exists
#   netapp idle              only httpd: a container to `docker exec` into
# httpd serves / (the hostname), /cgi-bin/who ("HOSTNAME CALLER_ADDRESS"), /big (1 MiB) and
# /big.sha256. The shell stays PID 1 and exits on SIGTERM.
set -u

now() { cut -d' ' -f1 /proc/uptime; }

# one HTTP call: prints the answer (or the error) on one line; fails when the call failed
call() {
  out=$(timeout 2 wget -qO- "http://$1/cgi-bin/who" 2>&1) && ok=0 || ok=1
  echo $out
  return $ok
}

worker() {
  while :; do
    for t in "$@"; do
      if out=$(call "$t"); then echo "ok $t $out"; else echo "FAIL $t could not reach $t: $out"; fi
    done
    sleep 0.5
  done
}

loop() {
  while [ ! -e "$2.stop" ]; do
    s=$(now)
    if out=$(call "$1"); then r=ok; else r=FAIL; fi
    echo "$s $(now) $r $out"
  done >>"$2"
}

role=${1:-backend}
[ $# -gt 0 ] && shift
case "$role" in
loop) loop "$@"; exit ;;
backend | frontend | worker | idle) ;;
*) echo "netapp: unknown role $role" >&2; exit 2 ;;
esac

hostname >/www/index.html
echo "$@" >/tmp/targets
httpd -f -p 80 -h /www &
pids=$!
if [ "$role" != idle ]; then
  udp-echo serve 9000 &
  pids="$pids $!"
fi
if [ "$role" = worker ]; then
  worker "$@" >>/tmp/calls.log 2>&1 &
  pids="$pids $!"
fi
trap 'kill $pids 2>/dev/null; exit 0' TERM INT
wait
