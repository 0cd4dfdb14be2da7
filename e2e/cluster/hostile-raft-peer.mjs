#!/usr/bin/env node
// A hostile peer for the e2e: holds a real manager certificate (copied from a manager's data dir)
// and opens Raft.Stream to a manager, sending chunks with more = true that never finish a message.
// Needs `npm run build` (it loads the protos from the built @shoal/common).
//
//   node e2e/cluster/hostile-raft-peer.mjs CERT_DIR HOST:PORT STREAMS MAX_CHUNKS_PER_STREAM
//
// Prints one JSON line per stream: {stream, chunks, code, details} where code is the gRPC status
// the server ended the call with (0 when it took everything: the chunks were all buffered).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { CLUSTER_CHANNEL_OPTIONS, loadProtos } from '../../packages/common/dist/rpc/index.js';

const [certDir, addr, streamsArg, maxChunksArg] = process.argv.slice(2);
if (!certDir || !addr) {
  process.stderr.write('usage: hostile-raft-peer.mjs CERT_DIR HOST:PORT [STREAMS] [MAX_CHUNKS_PER_STREAM]\n');
  process.exit(2);
}
const streams = Number(streamsArg ?? 1);
const maxChunks = Number(maxChunksArg ?? 2048);
const CHUNK = 'x'.repeat(512 * 1024); // the size a real manager sends, under every gRPC limit

const read = (f) => readFileSync(join(certDir, f));
const credentials = grpc.credentials.createSsl(read('root.crt'), read('node.key'), read('node.crt'), { checkServerIdentity: () => undefined });

/** One stream: writes chunks (waiting for the transport to drain) until the server ends the call. */
function flood(i) {
  const Raft = loadProtos().Raft;
  const client = new Raft(addr, credentials, CLUSTER_CHANNEL_OPTIONS);
  return new Promise((resolve) => {
    let chunks = 0;
    let ended = false;
    const stream = client.Stream((err) => {
      ended = true;
      client.close();
      resolve({ stream: i, chunks, code: err ? err.code : 0, details: err ? err.details : '' });
    });
    stream.on('error', () => {});
    const pump = () => {
      while (!ended && chunks < maxChunks) {
        chunks++;
        if (!stream.write({ payload: CHUNK, more: true })) {
          stream.once('drain', pump);
          return;
        }
      }
      if (!ended) stream.end();
    };
    pump();
  });
}

const results = await Promise.all(Array.from({ length: streams }, (_, i) => flood(i)));
for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
