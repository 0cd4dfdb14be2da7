// shoald's DNS server alone, for e2e/worker/dns-server.test.ts: started in a host's network
// namespace with `nsenter --net=...`, it serves the NetworkTable given as argv[2] (JSON) and
// forwards to a fake upstream it runs on 127.0.0.1:5300 (answers outside.example, else NXDOMAIN).
// Needs a built worker package (npm run build). Stops on SIGTERM.
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';
import { DnsServer } from '../../packages/worker/dist/index.js';

const UPSTREAM_PORT = 5300;
const table = JSON.parse(process.argv[2]);
const upstream = dgram.createSocket('udp4');
upstream.on('message', (msg, rinfo) => {
  const q = dnsPacket.decode(msg);
  const name = q.questions[0]?.name;
  const known = name === 'outside.example' && q.questions[0].type === 'A';
  const answers = known ? [{ name, type: 'A', ttl: 60, data: '192.0.2.7' }] : [];
  upstream.send(dnsPacket.encode({ type: 'response', id: q.id, flags: dnsPacket.RECURSION_AVAILABLE | (known || name === 'outside.example' ? 0 : 3), questions: q.questions, answers }), rinfo.port, rinfo.address);
});
await new Promise((resolve) => upstream.bind({ address: '127.0.0.1', port: UPSTREAM_PORT }, resolve));

const line = (level) => (o, msg) => process.stdout.write(`${level} ${msg ?? ''} ${JSON.stringify(o)}\n`);
const server = new DnsServer({ upstreams: [`127.0.0.1:${UPSTREAM_PORT}`], bindRetryMs: 100, log: { info: line('info'), warn: line('warn'), debug: line('debug') } });
await server.apply(table);
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void server.close().then(() => {
    upstream.close();
    process.exit(0);
  });
});
