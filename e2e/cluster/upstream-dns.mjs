#!/usr/bin/env node
// A resolver outside the cluster for the overlay e2e: `node upstream-dns.mjs ADDR PORT` answers
// A queries over UDP for `outside.example` (and names under it) with 192.0.2.55, every other
// name with NXDOMAIN, and prints "query NAME TYPE from ADDR" per query. shoald is given ADDR with
// `--dns`, so a container's lookup of outside.example shows the forwarding. Stops on SIGTERM.
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';

export const OUTSIDE_NAME = 'outside.example';
export const OUTSIDE_ADDRESS = '192.0.2.55';
const MAX_QUERY_BYTES = 4096;

function answer(query) {
  const q = query.questions?.[0];
  const name = (q?.name ?? '').toLowerCase().replace(/\.$/, '');
  const ours = name === OUTSIDE_NAME || name.endsWith(`.${OUTSIDE_NAME}`);
  const answers = ours && q.type === 'A' ? [{ type: 'A', name: q.name, ttl: 30, data: OUTSIDE_ADDRESS }] : [];
  return dnsPacket.encode({
    type: 'response',
    id: query.id,
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (ours ? 0 : 3), // rcode 3: NXDOMAIN
    questions: query.questions,
    answers,
  });
}

const [addr = '127.0.0.1', portText = '53'] = process.argv.slice(2);
const socket = dgram.createSocket('udp4');
socket.on('message', (msg, peer) => {
  if (msg.length > MAX_QUERY_BYTES) return;
  let query;
  try {
    query = dnsPacket.decode(msg);
  } catch {
    return;
  }
  const q = query.questions?.[0];
  console.log(`query ${q?.name} ${q?.type} from ${peer.address}`);
  socket.send(answer(query), peer.port, peer.address);
});
socket.on('error', (e) => {
  console.error(`upstream-dns: ${e.message}`);
  process.exit(1);
});
socket.bind(Number(portText), addr, () => console.log(`listening ${addr}:${portText}`));
process.on('SIGTERM', () => process.exit(0));
