import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { isIP, connect } from 'node:net';
import type { Upstream } from '../upstreams.js';
import { isTruncated, messageId, withId } from './packets.js';
import { FrameReader, frame } from './tcp-frames.js';

/**
 * Forwards a query shoald does not answer itself to the upstream resolvers, in order, from the
 * host's own network namespace: over UDP, and again over TCP when the UDP answer is truncated.
 * Each attempt uses a fresh socket (a random source port) and a random ID, and takes only an
 * answer with that ID.
 */
export interface Forwarded {
  reply: Buffer;
  upstream: Upstream;
}

export async function forward(query: Buffer, upstreams: readonly Upstream[], timeoutMs: number): Promise<Forwarded | undefined> {
  const clientId = messageId(query);
  if (clientId === undefined) return undefined;
  for (const upstream of upstreams) {
    const id = randomInt(0x10000);
    const ours = withId(query, id);
    let reply = await overUdp(ours, upstream, timeoutMs);
    if (reply && isTruncated(reply)) reply = (await overTcp(ours, upstream, timeoutMs)) ?? reply;
    if (reply) return { reply: withId(reply, clientId), upstream };
  }
  return undefined;
}

export function overUdp(query: Buffer, upstream: Upstream, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(isIP(upstream.host) === 6 ? 'udp6' : 'udp4');
    const id = query.readUInt16BE(0);
    let finished = false;
    const done = (reply: Buffer | undefined) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('error', () => done(undefined));
    socket.on('message', (msg) => {
      if (msg.length >= 12 && msg.readUInt16BE(0) === id) done(msg);
    });
    socket.connect(upstream.port, upstream.host, () => socket.send(query));
  });
}

export function overTcp(query: Buffer, upstream: Upstream, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const id = query.readUInt16BE(0);
    const reader = new FrameReader();
    const socket = connect({ host: upstream.host, port: upstream.port });
    let finished = false;
    const done = (reply: Buffer | undefined) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(reply);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('error', () => done(undefined));
    socket.on('close', () => done(undefined));
    socket.on('connect', () => socket.write(frame(query)));
    socket.on('data', (chunk) => {
      for (const msg of reader.push(chunk)) if (msg.length >= 12 && msg.readUInt16BE(0) === id) return done(Buffer.from(msg));
    });
  });
}
