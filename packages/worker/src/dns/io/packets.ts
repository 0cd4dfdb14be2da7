import dnsPacket, { type Answer, type DecodedPacket, type Packet } from 'dns-packet';
import type { DnsRecord } from '../resolver.js';

/** DNS messages through dns-packet: queries in, answers out, cut to the size the client takes. */

/** What a client without EDNS takes over UDP (RFC 1035). */
export const CLASSIC_UDP_BYTES = 512;
/** The most shoald sends over UDP whatever a client's EDNS says (the DNS flag day 2020 value is 1232). */
export const MAX_UDP_BYTES = 1232;

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
export type Rcode = keyof typeof RCODE;

export function decodeMessage(buf: Buffer): DecodedPacket | undefined {
  try {
    return dnsPacket.decode(buf);
  } catch {
    return undefined;
  }
}

/** The query's ID, read without decoding (to answer FORMERR to what does not decode). */
export function messageId(buf: Buffer): number | undefined {
  return buf.length >= 2 ? buf.readUInt16BE(0) : undefined;
}

/** The largest UDP answer the client takes: its EDNS payload size, within [512, MAX_UDP_BYTES]. */
export function udpLimitOf(query: Packet): number {
  const opt = (query.additionals ?? []).find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
  const size = opt?.udpPayloadSize ?? CLASSIC_UDP_BYTES;
  return Math.min(MAX_UDP_BYTES, Math.max(CLASSIC_UDP_BYTES, size));
}

/**
 * A response to `query`: same ID, question and RD bit; RA set (shoald recurses by forwarding);
 * an OPT record with shoald's UDP size when the query had one (RFC 6891).
 */
export function response(query: Packet, rcode: Rcode, answers: Answer[] = [], authoritative = false): Packet {
  const rd = (query.flags ?? 0) & dnsPacket.RECURSION_DESIRED;
  const aa = authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0;
  const edns = (query.additionals ?? []).some((a) => a.type === 'OPT');
  const additionals = edns ? [{ type: 'OPT', name: '.', udpPayloadSize: MAX_UDP_BYTES } as Answer] : [];
  return { type: 'response', id: query.id ?? 0, flags: rd | aa | dnsPacket.RECURSION_AVAILABLE | RCODE[rcode], questions: query.questions ?? [], answers, additionals };
}

const optOnly = (packet: Packet) => (packet.additionals ?? []).filter((a) => a.type === 'OPT');

export function answersOf(records: readonly DnsRecord[]): Answer[] {
  return records.map((r) => ({ name: r.name, type: r.type, class: 'IN', ttl: r.ttl, data: r.data }) as Answer);
}

/**
 * Encodes `packet` in at most `maxBytes`: when the whole does not fit, as many answers as fit and
 * the TC bit, so a client that cannot retry over TCP still gets some addresses (as Docker does).
 */
export function encodeWithin(packet: Packet, maxBytes: number): Buffer {
  const whole = dnsPacket.encode(packet);
  if (whole.length <= maxBytes) return whole;
  const answers = packet.answers ?? [];
  let lo = 0;
  let hi = answers.length;
  // The largest prefix of answers that fits: encodingLength grows with the answers, so bisect.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (dnsPacket.encodingLength({ ...packet, answers: answers.slice(0, mid), additionals: optOnly(packet), authorities: [] }) <= maxBytes) lo = mid;
    else hi = mid - 1;
  }
  const flags = (packet.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE;
  return dnsPacket.encode({ ...packet, flags, answers: answers.slice(0, lo), additionals: optOnly(packet), authorities: [] });
}

/**
 * An upstream's answer too large for a UDP client: the header and question with TC, so the client
 * asks again over TCP (re-encoding a stranger's records is not worth the risk).
 */
export function truncatedFor(query: Packet): Buffer {
  const packet = response(query, 'NOERROR');
  return dnsPacket.encode({ ...packet, flags: (packet.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE });
}

/** A copy of a message with another ID (queries forwarded upstream get shoald's own IDs). */
export function withId(buf: Buffer, id: number): Buffer {
  const copy = Buffer.from(buf);
  copy.writeUInt16BE(id & 0xffff, 0);
  return copy;
}

export function isTruncated(buf: Buffer): boolean {
  return buf.length >= 4 && (buf.readUInt16BE(2) & dnsPacket.TRUNCATED_RESPONSE) !== 0;
}
