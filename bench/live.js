#!/usr/bin/env node
'use strict';
/*
 * Live scans of a busy host, measured (bench/HISTORY.md "Session 12"): a private network namespace filled
 * with loopback sockets, then `ss` alone and `socklint scan --netns` of one or more builds, interleaved.
 * Not a test and not part of `npm run bench`; needs root and `ip` (it creates and deletes the namespace).
 *
 *   node bench/live.js [--sockets 64k] [--kind established|timewait] [--rounds 6] [--hold] [ROOT ...]
 *
 * ROOT: checkouts with a build (ROOT/dist/cli/main.js), default this one. `established` keeps the sockets
 * open, held by processes in the namespace (a server and a client per 8,000 connections: the fd limit), so
 * ss's `-p` has owners to look up; `timewait` opens and closes connections, leaving TIME-WAIT sockets
 * without processes (they last 60 s: the rounds must fit in that time). `--hold` measures nothing: it fills
 * the namespace, prints its name and keeps it until interrupted (Ctrl-C), for profiling by hand.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { median } = require('./run');

function usage(message) {
  process.stderr.write(`bench/live.js: ${message}\nusage: node bench/live.js [--sockets 64k] [--kind established|timewait] [--rounds 6] [--hold] [ROOT ...]\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const o = { sockets: 64000, kind: 'established', rounds: 6, hold: false, roots: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '--sockets') {
      const m = /^(\d+)([kK]?)$/.exec(value());
      if (!m) usage('--sockets takes a count such as 64000 or 64k');
      o.sockets = Number(m[1]) * (m[2] ? 1000 : 1);
    } else if (a === '--kind') {
      o.kind = value();
      if (o.kind !== 'established' && o.kind !== 'timewait') usage('--kind is established or timewait');
    } else if (a === '--rounds') {
      o.rounds = Number(value());
      if (!(o.rounds >= 1)) usage('--rounds takes a whole number ≥ 1');
    } else if (a === '--hold') o.hold = true;
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else o.roots.push(path.resolve(a));
  }
  if (o.roots.length === 0) o.roots.push(path.resolve(__dirname, '..'));
  for (const r of o.roots) if (!fs.existsSync(path.join(r, 'dist/cli/main.js'))) usage(`${r}/dist/cli/main.js is missing (npm run build there)`);
  return o;
}

/** Node programs run inside the namespace: a server holding what it accepts, a client opening connections. */
const SERVER = `const net=require('net');const held=[];net.createServer((s)=>{held.push(s);s.on('error',()=>{});s.on('end',()=>s.end());})
.listen({port:+process.argv[1],host:'127.0.0.1',backlog:4096},()=>process.send('up'));`;
const CLIENT = `const net=require('net');const [port,n,close]=process.argv.slice(1).map(Number);const held=[];
(async()=>{for(let i=0;i<n;){const batch=[];for(let k=0;k<300&&i<n;k++,i++)batch.push(new Promise((ok)=>{const c=net.connect(port,'127.0.0.1',()=>{if(close)c.end();else held.push(c);if(!close)ok();});c.on('close',ok);c.on('error',ok);}));await Promise.all(batch);}process.send('done');})();`;

const PER_PAIR = 8000; // connections per server/client pair: two fds each side, under a 20,000 fd limit

function inNs(ns, args, opts) {
  return spawn('ip', ['netns', 'exec', ns, process.execPath, ...args], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], ...opts });
}

function message(child, what) {
  return new Promise((resolve, reject) => {
    child.once('message', (m) => (m === what ? resolve() : reject(new Error(`unexpected ${m}`))));
    child.once('exit', (code) => reject(new Error(`a helper exited (${code}) before "${what}"`)));
  });
}

function timed(cmd, args, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${String(r.stderr).slice(0, 300)}`);
  return ms;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (process.getuid?.() !== 0) usage('needs root (it creates a network namespace)');
  const ns = `socklint-bench-${process.pid}`;
  const helpers = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-live-bench-'));
  const cleanup = () => {
    for (const h of helpers) h.kill('SIGKILL');
    spawnSync('ip', ['netns', 'del', ns]);
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  process.on('SIGINT', () => { cleanup(); process.exit(130); });
  try {
    spawnSync('ip', ['netns', 'add', ns], { stdio: 'inherit' });
    spawnSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up'], { stdio: 'inherit' });
    const pairs = Math.ceil(o.sockets / 2 / PER_PAIR);
    const close = o.kind === 'timewait' ? 1 : 0;
    const started = Date.now();
    for (let p = 0; p < pairs; p++) {
      const port = 7100 + p;
      const server = inNs(ns, ['-e', SERVER, String(port)]);
      helpers.push(server);
      await message(server, 'up');
      const n = Math.min(PER_PAIR, Math.ceil(o.sockets / 2) - p * PER_PAIR);
      const client = inNs(ns, ['-e', CLIENT, String(port), String(close ? n * 2 : n), String(close)]);
      helpers.push(client);
      await message(client, 'done');
    }
    const summary = spawnSync('ip', ['netns', 'exec', ns, 'ss', '-s'], { encoding: 'utf8' }).stdout.split('\n')[1];
    process.stdout.write(`namespace ${ns}: ${summary.trim()} (made in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    if (o.hold) {
      process.stdout.write('held until interrupted (Ctrl-C)\n');
      await new Promise(() => undefined); // SIGINT cleans up
    }

    const nsPath = `/var/run/netns/${ns}`;
    const runs = [
      { label: 'ss -tuaxnpmioeO (through nsenter)', run: () => timed('nsenter', [`--net=${nsPath}`, 'ss', '-tuaxnpmioeO']) },
      { label: 'ss -tuaxnmioeO (no -p)', run: () => timed('nsenter', [`--net=${nsPath}`, 'ss', '-tuaxnmioeO']) },
      ...o.roots.map((root) => ({
        label: `socklint scan --netns (${root})`,
        run: () => timed(process.execPath, [path.join(root, 'dist/cli/main.js'), 'scan', '--netns', ns,
          '--format', `json=${path.join(tmp, 'r.json')}`, '--format', `sarif=${path.join(tmp, 'r.sarif')}`]),
      })),
    ];
    const times = runs.map(() => []);
    for (let r = 0; r < o.rounds; r++) runs.forEach((x, i) => times[i].push(x.run()));
    process.stdout.write(`\n| run | median ms | rounds (ms) |\n| --- | ---: | --- |\n`);
    runs.forEach((x, i) => process.stdout.write(`| ${x.label} | ${median(times[i]).toFixed(0)} | ${times[i].map((t) => t.toFixed(0)).join(', ')} |\n`));
  } finally {
    cleanup();
  }
}

main().catch((e) => {
  process.stderr.write(`bench/live.js: ${e.message}\n`);
  process.exitCode = 1;
});
