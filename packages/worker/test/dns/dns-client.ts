import dgram from 'node:dgram';
import { connect, createServer, type Server } from 'node:net';
import dnsPacket, { type Answer, type DecodedPacket, type Packet } from 'dns-packet';
import { FrameReader, frame } from '../../src/dns/io/tcp-frames.js';

/** A DNS client and a fake upstream server for the io tests, on loopback addresses. */

/** What dns-packet decodes (its types leave out rcode). */
export type Reply = DecodedPacket & { rcode: string };
const decode = (buf: Buffer) => dnsPacket.decode(buf) as Reply;

export function query(name: string, type = 'A', id = 4242, o: { udpPayloadSize?: number } = {}): Buffer {
  const packet: Packet = { type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: type as 'A' }] };
  if (o.udpPayloadSize) packet.additionals = [{ type: 'OPT', name: '.', udpPayloadSize: o.udpPayloadSize } as Answer];
  return dnsPacket.encode(packet);
}

export function udpAsk(msg: Buffer, to: { host: string; port: number }, from: string, timeoutMs = 1000): Promise<{ packet: Reply; bytes: number } | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const done = (r: { packet: Reply; bytes: number } | undefined) => {
      clearTimeout(timer);
      socket.close();
      resolve(r);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('message', (reply) => done({ packet: decode(reply), bytes: reply.length }));
    socket.bind({ address: from, port: 0 }, () => socket.send(msg, to.port, to.host));
  });
}

export function tcpAsk(msg: Buffer, to: { host: string; port: number }, from: string, timeoutMs = 1000): Promise<Reply | undefined> {
  return new Promise((resolve) => {
    const reader = new FrameReader();
    const socket = connect({ host: to.host, port: to.port, localAddress: from });
    let settled = false;
    const done = (r: Reply | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('error', () => done(undefined));
    socket.on('connect', () => socket.write(frame(msg)));
    socket.on('data', (chunk) => {
      const [first] = reader.push(chunk);
      if (first) done(decode(Buffer.from(first)));
    });
  });
}

export const addressesIn = (p: DecodedPacket | undefined) => (p?.answers ?? []).filter((a) => a.type === 'A').map((a) => (a as { data: string }).data).sort();

/** Names the fake upstream knows; `big.example` is too large for UDP and comes truncated there. */
export function upstreamAnswer(q: DecodedPacket, transport: 'udp' | 'tcp'): Buffer | undefined {
  const question = q.questions![0]!;
  const reply = (answers: Answer[], flags = 0) => dnsPacket.encode({ type: 'response', id: q.id, flags: dnsPacket.RECURSION_AVAILABLE | flags, questions: q.questions, answers });
  if (question.name === 'slow.example') return undefined;
  if (question.name === 'outside.example') return reply([{ name: question.name, type: 'A', ttl: 60, data: '192.0.2.7' }]);
  if (question.name === 'big.example') {
    const answers = Array.from({ length: 60 }, (_, i) => ({ name: question.name, type: 'A', ttl: 60, data: `192.0.2.${i + 1}` }) as Answer);
    return transport === 'udp' ? reply([], dnsPacket.TRUNCATED_RESPONSE) : reply(answers);
  }
  return reply([], 3);
}

export interface FakeUpstream {
  port: number;
  queries: { name: string; transport: 'udp' | 'tcp' }[];
  close(): Promise<void>;
}

export async function fakeUpstream(host: string, port: number): Promise<FakeUpstream> {
  const queries: FakeUpstream['queries'] = [];
  const udp = dgram.createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    const q = dnsPacket.decode(msg);
    queries.push({ name: q.questions![0]!.name, transport: 'udp' });
    const r = upstreamAnswer(q, 'udp');
    if (r) udp.send(r, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => udp.bind({ address: host, port }, () => resolve()));
  const tcp: Server = createServer((socket) => {
    const reader = new FrameReader();
    socket.on('data', (chunk) => {
      for (const msg of reader.push(chunk)) {
        const q = dnsPacket.decode(Buffer.from(msg));
        queries.push({ name: q.questions![0]!.name, transport: 'tcp' });
        const r = upstreamAnswer(q, 'tcp');
        if (r) socket.write(frame(r));
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => tcp.listen({ host, port }, () => resolve()));
  return {
    port,
    queries,
    close: async () => {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
