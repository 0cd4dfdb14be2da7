#!/usr/bin/env node
// Sums selfTime per function (and per file) of a .cpuprofile from `node --cpu-prof`.
//   node bench/cpuprofile-top.mjs FILE.cpuprofile [N]
import { readFileSync } from 'node:fs';

const [file, n = '25'] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((node) => [node.id, node]));
const self = new Map();
for (let i = 0; i < prof.samples.length; i++) {
  const id = prof.samples[i];
  self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
}
const byFn = new Map();
const byFile = new Map();
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const short = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/packages\//, '');
  const key = `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + us);
  const pkg = short.startsWith('@') ? short.split('/').slice(0, 2).join('/') : short.split('/')[0] || functionName;
  byFile.set(pkg, (byFile.get(pkg) ?? 0) + us);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(n));
console.log(`total ${(total / 1000).toFixed(1)} ms sampled`);
console.log('-- by function (self ms)');
for (const [k, us] of top(byFn)) console.log(`${(us / 1000).toFixed(1).padStart(8)}  ${k}`);
console.log('-- by package or file (self ms)');
for (const [k, us] of top(byFile)) console.log(`${(us / 1000).toFixed(1).padStart(8)}  ${k}`);
