#!/bin/sh
# The front end's page: calls every back end it was given by name and says what answered.
printf 'Content-Type: text/plain\r\n\r\n'
for t in $(cat /tmp/targets); do
  if out=$(timeout 2 wget -qO- "http://$t/cgi-bin/who" 2>&1); then
    echo "$(hostname) -> $t: $out"
  else
    echo "$(hostname) could not reach $t: $(echo $out)"
  fi
done
