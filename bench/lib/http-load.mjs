#!/usr/bin/env node
// A small closed-loop HTTP load client: `node http-load.mjs URL CONCURRENCY DURATION_MS` runs
// CONCURRENCY loops of GET URL (a new connection each, as busybox httpd closes them) for
// DURATION_MS and prints {"requests":N,"errors":M,"seconds":S,"p50_ms":A,"p99_ms":B} (latency of
// the successful requests). Measures; never asserts.
import http from 'node:http';

const [url, concurrencyText = '16', durationText = '5000'] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const durationMs = Number(durationText);
const agent = new http.Agent({ keepAlive: false, maxSockets: concurrency });
let requests = 0;
let errors = 0;
/** Latencies of successful requests, in ms (bounded: a 5 s run at 16 loops makes far fewer). */
const MAX_SAMPLES = 1_000_000;
const latenciesMs = [];

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
      const t0 = performance.now();
      if (await get()) {
        requests++;
        if (latenciesMs.length < MAX_SAMPLES) latenciesMs.push(performance.now() - t0);
      } else errors++;
    }
  }),
);
const seconds = (performance.now() - start) / 1000;
latenciesMs.sort((a, b) => a - b);
const at = (p) => (latenciesMs.length ? Math.round(latenciesMs[Math.min(latenciesMs.length - 1, Math.ceil(p * latenciesMs.length) - 1)] * 100) / 100 : 0);
console.log(JSON.stringify({ requests, errors, seconds, p50_ms: at(0.5), p99_ms: at(0.99) }));
