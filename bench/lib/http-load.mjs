#!/usr/bin/env node
// A small closed-loop HTTP load client: `node http-load.mjs URL CONCURRENCY DURATION_MS` runs
// CONCURRENCY loops of GET URL (a new connection each, as busybox httpd closes them) for
// DURATION_MS and prints {"requests":N,"errors":M,"seconds":S}. Measures; never asserts.
import http from 'node:http';

const [url, concurrencyText = '16', durationText = '5000'] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const durationMs = Number(durationText);
const agent = new http.Agent({ keepAlive: false, maxSockets: concurrency });
let requests = 0;
let errors = 0;

function get() {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, timeout: 5_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
  });
}

const start = performance.now();
const deadline = start + durationMs;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      if (await get()) requests++;
      else errors++;
    }
  }),
);
console.log(JSON.stringify({ requests, errors, seconds: (performance.now() - start) / 1000 }));
