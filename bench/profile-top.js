#!/usr/bin/env node
'use strict';
/*
 * Top self-time functions of a V8 CPU profile (node --cpu-prof).
 *
 *   node --cpu-prof --cpu-prof-dir=bench/out/prof dist/cli/main.js scan bench/out/tanpmioe-100k.ss \
 *        --format sarif=bench/out/p.sarif --format junit=bench/out/p.xml --format json=bench/out/p.json
 *   node bench/profile-top.js bench/out/prof/*.cpuprofile [--top 10]
 *
 * Several profiles (worker threads write one each) are merged.
 */
const fs = require('fs');

const args = process.argv.slice(2);
let top = 10;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--top') top = parseInt(args[++i], 10) || 10;
  else files.push(args[i]);
}
if (!files.length) {
  process.stderr.write('usage: node bench/profile-top.js PROFILE.cpuprofile... [--top N]\n');
  process.exit(2);
}

const self = new Map(); // key -> µs
let total = 0;
for (const f of files) {
  const p = JSON.parse(fs.readFileSync(f, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  // timeDeltas[i] is the time before samples[i]
  for (let i = 0; i < p.samples.length; i++) {
    const d = p.timeDeltas[i] || 0;
    dt.set(p.samples[i], (dt.get(p.samples[i]) || 0) + d);
  }
  for (const [id, us] of dt) {
    const n = byId.get(id);
    const cf = n.callFrame;
    const url = cf.url ? cf.url.replace(/^file:\/\//, '') : '';
    const short = url.replace(/^.*?\/((?:dist|src|node_modules)\/)/, '$1');
    const where = url ? `${short}:${cf.lineNumber + 1}` : '';
    const key = `${cf.functionName || '(anonymous)'}${where ? ' ' + where : ''}`;
    self.set(key, (self.get(key) || 0) + us);
    total += us;
  }
}
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
process.stdout.write(`total sampled: ${(total / 1e6).toFixed(2)} s\n\n| # | self ms | self % | function |\n| ---: | ---: | ---: | --- |\n`);
rows.forEach(([k, us], i) => {
  process.stdout.write(`| ${i + 1} | ${(us / 1000).toFixed(0)} | ${((100 * us) / total).toFixed(1)} | \`${k}\` |\n`);
});
