#!/usr/bin/env node
'use strict';
/*
 * Top self-time functions of a V8 CPU profile (node --cpu-prof).
 *
 *   node --cpu-prof --cpu-prof-dir=bench/out/prof dist/cli/main.js scan bench/out/tanpmioe-100k.ss \
 *        --format sarif=bench/out/p.sarif --format junit=bench/out/p.xml --format json=bench/out/p.json
 *   node bench/profile-top.js bench/out/prof/*.cpuprofile [--top 10] [--lines FUNCTION]
 *
 * --lines FUNCTION also lists the hottest source lines (of the built JS) inside that function.
 *
 * Several profiles (worker threads write one each) are merged.
 */
const fs = require('fs');

const args = process.argv.slice(2);
let top = 10;
let linesOf = null;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--top') top = parseInt(args[++i], 10) || 10;
  else if (args[i] === '--lines') linesOf = args[++i];
  else files.push(args[i]);
}
if (!files.length) {
  process.stderr.write('usage: node bench/profile-top.js PROFILE.cpuprofile... [--top N]\n');
  process.exit(2);
}

const self = new Map(); // key -> µs
const lineTicks = new Map(); // url:line -> ticks (for --lines)
let total = 0;
for (const f of files) {
  const p = JSON.parse(fs.readFileSync(f, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  if (linesOf)
    for (const n of p.nodes)
      if (n.callFrame.functionName === linesOf && n.positionTicks)
        for (const t of n.positionTicks) {
          const k = `${n.callFrame.url.replace(/^.*?\/((?:dist|src|node_modules)\/)/, '$1')}:${t.line}`;
          lineTicks.set(k, (lineTicks.get(k) || 0) + t.ticks);
        }
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
if (linesOf) {
  const all = [...lineTicks.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(`\nhot lines in ${linesOf} (${all} ticks):\n\n| line | ticks | % of function |\n| --- | ---: | ---: |\n`);
  [...lineTicks.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([k, t]) => process.stdout.write(`| \`${k}\` | ${t} | ${((100 * t) / all).toFixed(1)} |\n`));
}
