#!/usr/bin/env node
'use strict';
/*
 * Interleaved A/B runs of `socklint scan` between builds: how the figures of bench/README.md ("median of the
 * per-round ratios") were measured. Not a test and not part of `npm run bench`.
 *
 *   node bench/ab.js [--rounds 15] [--args "scan options"] [--extra "more options" ...] FILE_OR_DIR ROOT_A [ROOT_B ...]
 *
 * ROOT_* are checkouts with a build (`ROOT/dist/cli/main.js`), e.g. the previous commit built elsewhere:
 *
 *   git worktree add /tmp/prev HEAD~1 && (cd /tmp/prev && npm ci && npm run build)
 *   node bench/ab.js bench/out/tanp-1m.ss /tmp/prev .
 *
 * Each round runs every build once, one after the other, so a neighbour's load on this shared machine falls
 * on all of them alike; a run's wall time is divided by the first build's in the same round, and the median of
 * those ratios is what to read (the medians of the wall times are printed too). Default scan options:
 * SARIF + JUnit + JSON written to a temporary folder, as the benchmark's full scan.
 *
 * `--extra` (repeatable) adds a variant of the scan with those options added, run by every build in every round
 * beside the plain one: what a rule set costs, e.g. against the default pack alone ("Rules of one's own" in
 * bench/README.md; one build is enough then):
 *
 *   node bench/ab.js --rounds 5 --extra "--rules bench/rules/peer-cidr.yaml" bench/out/tanp-1m.ss .
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { median, firstLine } = require('./run');

function usage(message) {
  process.stderr.write(`bench/ab.js: ${message}\nusage: node bench/ab.js [--rounds N] [--args "scan options"] [--extra "more options" ...] FILE_OR_DIR ROOT_A [ROOT_B ...]\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const o = { rounds: 15, args: null, extras: [], positional: [] };
  const words = (v) => v.split(/\s+/).filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rounds' || a === '--args' || a === '--extra') {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      const v = argv[++i];
      if (a === '--rounds') {
        if (!/^\d+$/.test(v) || Number(v) < 1) usage('--rounds takes a whole number ≥ 1');
        o.rounds = Number(v);
      } else if (a === '--args') o.args = words(v);
      else o.extras.push(v);
    } else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else o.positional.push(a);
  }
  if (o.positional.length < (o.extras.length > 0 ? 2 : 3)) usage('name a snapshot (file or folder) and at least two build roots (or one, with --extra)');
  return o;
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const [input, ...roots] = o.positional;
  if (!fs.existsSync(input)) usage(`${input}: not found`);
  const clis = roots.map((r) => {
    const cli = path.resolve(r, 'dist/cli/main.js');
    if (!fs.existsSync(cli)) usage(`${cli}: not found (build that checkout first)`);
    // a build's compile cache (src/compile-cache.ts) covers the modules below its folder: a node_modules that is a
    // link to another checkout's resolves outside it, and those dependencies compile from their text (slower)
    const modules = path.resolve(r, 'node_modules');
    if (fs.existsSync(modules) && fs.realpathSync(modules) !== modules) {
      process.stderr.write(`bench/ab.js: WARNING ${modules} is a link: its dependencies do not use ${r}'s compile cache, which biases the A/B against it; give it its own (npm ci, or cp -al of another's)\n`);
    }
    return cli;
  });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-ab-'));
  const args = o.args ?? ['--format', `sarif=${tmp}/r.sarif`, '--format', `junit=${tmp}/r.xml`, '--format', `json=${tmp}/r.json`];
  // every build with the plain options, then with each --extra added
  const variants = ['', ...o.extras];
  const runs = clis.flatMap((cli, k) => variants.map((extra) => ({ cli, label: extra === '' ? roots[k] : `${roots[k]} ${extra}`, args: [...args, ...extra.split(/\s+/).filter(Boolean)] })));
  const walls = runs.map(() => []);
  const ratios = runs.map(() => []);
  try {
    for (let round = 0; round < o.rounds; round++) {
      const times = runs.map(({ cli, args: scanArgs }) => {
        const t0 = process.hrtime.bigint();
        const r = spawnSync(process.execPath, [cli, 'scan', input, ...scanArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        // exit 1 = findings: a successful scan
        if (r.status !== 0 && r.status !== 1) throw new Error(`${cli} exited with ${r.status}: ${firstLine(r.stderr)}`);
        return ms;
      });
      times.forEach((ms, k) => {
        walls[k].push(ms);
        ratios[k].push(ms / times[0]);
      });
      process.stderr.write(`round ${round + 1}/${o.rounds}: ${times.map((t) => t.toFixed(0)).join(' / ')} ms\n`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${o.rounds} interleaved rounds of \`socklint scan ${input}\`:`);
  console.log('| build (and options added) | median wall ms | median of per-round ratios to the first |');
  console.log('| --- | ---: | ---: |');
  runs.forEach((run, k) => console.log(`| ${run.label.replace(/\|/g, '\\|')} | ${median(walls[k]).toFixed(0)} | ${median(ratios[k]).toFixed(3)} |`));
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench/ab.js: ${e.message}\n`);
  process.exit(1);
}
