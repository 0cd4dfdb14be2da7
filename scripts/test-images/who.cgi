#!/bin/sh
# "HOSTNAME CALLER_ADDRESS": which task answered, and the address the call came from
printf 'Content-Type: text/plain\r\n\r\n'
a=${REMOTE_ADDR#[}
a=${a%]}
echo "$(hostname) ${a#::ffff:}"
