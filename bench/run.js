#!/usr/bin/env node
'use strict';
/*
 * socklint benchmark harness (`npm run bench`). Not a test: it prints figures, it does not assert.
 *
 *   node bench/run.js [--quick] [--sizes 10k,100k,250k,1m] [--layouts tanp,tanpmioe,tuanp]
 *                     [--repeat N] [--root DIR] [--no-jc] [--jc-max 1m] [--no-multi] [--no-startup]
 *                     [--mioe-max 250k] [--fleets tanp:1000,tanpmioe:100,tanp:1000x200] [--note TEXT]
 *
 * Builds nothing: it runs DIR/dist/cli/main.js (DIR = --root, default the repository this file is in),
 * so run `npm run build` first. Snapshots are generated into bench/out/ (gitignored) when missing.
 * Every command is run under GNU time (`/usr/bin/time -f "%e %M"`) for the peak RSS; wall time is
 * taken with a monotonic clock around the same process (finer than %e's 10 ms). With --repeat N the
 * runs are interleaved round-robin and the median is reported. Ratios are against baselines measured
 * in the same run (awk-checks.sh on the same file; jc --ss on the -tuanp file of the same size).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const BENCH = __dirname;
const REPO = path.resolve(BENCH, '..');
const OUT = path.join(BENCH, 'out');

// ---------------------------------------------------------------------------------------------
function parseCount(s) {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(String(s).trim());
  if (!m) throw new Error(`bad size ${s}`);
  return Math.round(Number(m[1]) * { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[m[2]]);
}
function sizeName(n) {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}m`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}

function parseArgs(argv) {
  const o = {
    sizes: null,
    layouts: ['tanp', 'tanpmioe', 'tuanp'],
    repeat: 1,
    root: REPO,
    jc: true,
    jcMax: 1e6,
    multi: true,
    startup: true,
    quick: false,
    mioeMax: 250000,
    fleets: [],
    note: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--sizes') o.sizes = v().split(',').filter(Boolean).map(parseCount);
    else if (a === '--layouts') o.layouts = v().split(',').filter(Boolean);
    else if (a === '--repeat') o.repeat = Math.max(1, parseInt(v(), 10) || 1);
    else if (a === '--root') o.root = path.resolve(v());
    else if (a === '--no-jc') o.jc = false;
    else if (a === '--jc-max') o.jcMax = parseCount(v());
    else if (a === '--no-multi') o.multi = false;
    else if (a === '--no-startup') o.startup = false;
    else if (a === '--mioe-max') o.mioeMax = parseCount(v());
    else if (a === '--fleets') o.fleets = parseFleets(v());
    else if (a === '--note') o.note = v();
    else if (a === '--help' || a === '-h') {
      process.stdout.write(fs.readFileSync(__filename, 'utf8').split('\n').slice(2, 15).join('\n') + '\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (see --help)`);
  }
  if (!o.sizes) o.sizes = o.quick ? [1e4, 1e5] : [1e4, 1e5, 2.5e5, 1e6];
  return o;
}

/**
 * `tanp:1000,tanpmioe:100,tanp:1000x200` → [{ layout, count, size }]: fleets of that many snapshots of `size`
 * sockets each (10k unless `xSIZE` says: small hosts' snapshots, whose first rows and reports weigh more).
 */
function parseFleets(text) {
  return text.split(',').filter(Boolean).map((spec) => {
    const m = /^(tanp|tanpmioe|tuanp):(\d+)(?:x(\d+(?:\.\d+)?[kKmM]?))?$/.exec(spec.trim());
    const size = m && m[3] !== undefined ? parseCount(m[3]) : 1e4;
    if (!m || Number(m[2]) < 1 || size < 1) throw new Error(`bad fleet ${spec} (LAYOUT:COUNT or LAYOUT:COUNTxSIZE, e.g. tanp:1000 or tanp:1000x200)`);
    return { layout: m[1], count: Number(m[2]), size };
  });
}

// ---------------------------------------------------------------------------------------------
function sh(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
}
function firstLine(s) {
  return String(s || '').trim().split('\n')[0];
}
function median(xs) {
  const a = xs.filter((x) => x != null && !Number.isNaN(x)).sort((x, y) => x - y);
  if (!a.length) return null;
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

const TIME_OUT = path.join(os.tmpdir(), `socklint-bench-time-${process.pid}.txt`);

/**
 * Run argv under GNU time. stdout goes to `stdoutFile` (default /dev/null).
 * Returns { wall (s, monotonic), timeE (s, GNU time %e), rssKiB, cpu (user+sys s), code, stderr (tail) }.
 */
function timed(argv, { stdoutFile = '/dev/null', cwd = REPO, stdinFile = null, env = null } = {}) {
  const outFd = fs.openSync(stdoutFile, 'w');
  const inFd = stdinFile ? fs.openSync(stdinFile, 'r') : 'ignore';
  try {
    fs.rmSync(TIME_OUT, { force: true });
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', '-o', TIME_OUT, ...argv], {
      cwd,
      ...(env ? { env: { ...process.env, ...env } } : {}),
      stdio: [inFd, outFd, 'pipe'],
      maxBuffer: 256 << 20,
      encoding: 'utf8',
    });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    let timeE = null,
      rssKiB = null,
      cpu = null;
    try {
      const lines = fs.readFileSync(TIME_OUT, 'utf8').trim().split('\n');
      const last = lines[lines.length - 1].trim().split(/\s+/);
      timeE = Number(last[0]);
      rssKiB = Number(last[1]);
      cpu = Number(last[2]) + Number(last[3]);
      // "Command exited with non-zero status N" precedes the figures
    } catch {
      /* time failed */
    }
    const stderr = String(r.stderr || '');
    return { wall, timeE, rssKiB, cpu, code: r.status, signal: r.signal, stderr: stderr.slice(-2000), error: r.error };
  } finally {
    fs.closeSync(outFd);
    if (typeof inFd === 'number') fs.closeSync(inFd);
  }
}

// ---------------------------------------------------------------------------------------------
function ensureSnapshot(layout, n, file, seed = 1) {
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  process.stderr.write(`generating ${path.relative(REPO, file)} (${layout}, ${n} sockets) ...\n`);
  const r = sh(process.execPath, [path.join(BENCH, 'generate.js'), '--sockets', String(n), '--layout', layout, '--seed', String(seed), '--out', file], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`generate.js failed for ${file}`);
}

function snapshotPath(layout, n) {
  return path.join(OUT, `${layout}-${sizeName(n)}.ss`);
}

// ---------------------------------------------------------------------------------------------
function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${e.message}\n`);
    process.exit(2);
  }
  const CLI = path.join(o.root, 'dist', 'cli', 'main.js');
  if (!fs.existsSync(CLI)) {
    process.stderr.write(`bench: ${path.relative(process.cwd(), CLI) || CLI} not found — run \`npm run build\` first (the benchmark builds nothing).\n`);
    process.exit(1);
  }
  if (!fs.existsSync('/usr/bin/time')) {
    process.stderr.write('bench: /usr/bin/time (GNU time) is required for peak RSS (apt-get install time).\n');
    process.exit(1);
  }
  fs.mkdirSync(OUT, { recursive: true });
  const node = process.execPath;
  const cores = os.cpus().length;

  // ---- environment
  const env = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${cores} x ${(os.cpus()[0] || {}).model || '?'}`,
    memGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    awk: firstLine(sh('sh', ['-c', 'awk -W version 2>/dev/null || awk --version']).stdout) || '?',
    jc: null,
    socklint: firstLine(sh(node, [CLI, '--version']).stdout),
    root: o.root,
    git: null,
  };
  const g = sh('git', ['-C', o.root, 'rev-parse', '--short', 'HEAD']);
  if (g.status === 0) {
    const dirty = sh('git', ['-C', o.root, 'status', '--porcelain', '--', 'src', 'rules']).stdout.trim();
    env.git = g.stdout.trim() + (dirty ? ' (src/ or rules/ modified)' : '');
  }
  if (o.jc) {
    const j = sh('jc', ['--version']);
    if (j.error || j.status !== 0) {
      env.jc = null;
      process.stderr.write('bench: jc not installed (apt-get install -y jc) — skipping the jc baseline.\n');
    } else env.jc = firstLine(j.stdout);
  }

  // ---- the matrix
  const files = [];
  for (const layout of o.layouts) {
    for (const n of o.sizes) {
      if (layout === 'tanpmioe' && n > o.mioeMax) continue; // 1M -tanpmioe is ~0.8 GB; the issue's target is 250k
      files.push({ layout, n, file: snapshotPath(layout, n) });
    }
  }
  for (const f of files) ensureSnapshot(f.layout, f.n, f.file);
  const small = snapshotPath('tanpmioe', 100);
  ensureSnapshot('tanpmioe', 100, small);

  // ---- preflight: does the CLI scan at all?
  const scanDir = path.join(OUT, 'scan');
  fs.mkdirSync(scanDir, { recursive: true });
  const scanArgs = (input, tag, extra = []) => [
    node,
    CLI,
    'scan',
    ...(Array.isArray(input) ? input : [input]),
    ...extra,
    '--format',
    `sarif=${path.join(scanDir, `${tag}.sarif`)}`,
    '--format',
    `junit=${path.join(scanDir, `${tag}.junit.xml`)}`,
    '--format',
    `json=${path.join(scanDir, `${tag}.json`)}`,
  ];
  const pre = timed(scanArgs(small, 'preflight'));
  let scanBroken = null;
  if (pre.code == null || pre.code >= 2) {
    scanBroken = firstLine(pre.stderr) || `exit ${pre.code}`;
    process.stderr.write(`bench: WARNING socklint scan fails on a 100-socket snapshot (exit ${pre.code}): ${scanBroken}\n`);
  }

  // ---- tools per file
  const tools = (f) => {
    const t = [];
    const base = path.basename(f.file, '.ss');
    t.push({ id: 'awk', label: 'awk-checks.sh', argv: ['sh', path.join(BENCH, 'awk-checks.sh'), f.file], stdout: path.join(OUT, `${base}.awk.txt`) });
    if (f.layout === 'tuanp' && env.jc && f.n <= o.jcMax) t.push({ id: 'jc', label: 'jc --ss', argv: ['jc', '--ss'], stdin: f.file });
    t.push({
      id: 'readline',
      label: 'node readline (count lines)',
      argv: [node, '-e', "let n=0;const rl=require('readline').createInterface({input:require('fs').createReadStream(process.argv[1])});rl.on('line',()=>n++);rl.on('close',()=>console.log(n))", f.file],
    });
    t.push({ id: 'parse', label: 'socklint parse --format ndjson', argv: [node, CLI, 'parse', f.file, '--format', 'ndjson'] });
    t.push({ id: 'scan', label: 'socklint scan (SARIF+JUnit+JSON)', argv: scanArgs(f.file, base) });
    return t;
  };

  const results = []; // {file, layout, n, bytes, tool, label, runs: []}
  for (const f of files) {
    const bytes = fs.statSync(f.file).size;
    for (const t of tools(f)) results.push({ ...f, bytes, tool: t.id, label: t.label, t, runs: [] });
  }
  for (let rep = 0; rep < o.repeat; rep++) {
    for (const r of results) {
      process.stderr.write(`[${rep + 1}/${o.repeat}] ${path.basename(r.file)} ${r.label} ... `);
      const m = timed(r.t.argv, { stdoutFile: r.t.stdout || '/dev/null', stdinFile: r.t.stdin || null });
      r.runs.push(m);
      const ok = okExit(r.tool, m.code);
      process.stderr.write(ok ? `${m.wall.toFixed(2)} s, ${(m.rssKiB / 1024).toFixed(0)} MiB\n` : `FAILED (exit ${m.code}${m.signal ? ' ' + m.signal : ''}): ${firstLine(m.stderr)}\n`);
    }
  }

  // ---- summarise
  const rows = results.map((r) => summarise(r));
  const byFile = new Map();
  for (const row of rows) {
    if (!byFile.has(row.file)) byFile.set(row.file, {});
    byFile.get(row.file)[row.tool] = row;
  }
  // jc rate per size (on the tuanp file); fall back to the largest measured size
  const jcRate = new Map();
  for (const row of rows) if (row.tool === 'jc' && row.ok) jcRate.set(row.n, row.sps);
  const jcFallback = [...jcRate.entries()].sort((a, b) => b[0] - a[0])[0];
  for (const row of rows) {
    const awk = byFile.get(row.file).awk;
    row.vsAwk = row.ok && awk && awk.ok ? row.wall / awk.wall : null;
    // the same ratio round by round (each round runs awk and then socklint on the file, minutes apart at most
    // from the next round): how far this machine's noise moves it
    row.vsAwkRounds = row.vsAwk == null ? [] : row.runs.map((m, k) => m.wall / awk.runs[k].wall);
    let jr = jcRate.get(row.n);
    row.jcEstimated = false;
    if (jr == null && jcFallback) {
      jr = jcFallback[1];
      row.jcEstimated = true;
    }
    row.xJc = row.ok && jr ? row.sps / jr : null;
  }

  // ---- memory with V8's young generation capped (a start-up flag socklint cannot set for itself)
  let semi = null;
  const small100 = rows.find((r) => r.layout === 'tanp' && r.tool === 'scan' && r.n === 1e5 && r.ok);
  const big1m = rows.find((r) => r.layout === 'tanp' && r.tool === 'scan' && r.n === 1e6 && r.ok);
  if (small100 && big1m) {
    semi = {};
    for (const [key, row] of [['small', small100], ['big', big1m]]) {
      const runs = Array.from({ length: o.repeat }, () => timed(scanArgs(row.file, `semi-${key}`), { env: { NODE_OPTIONS: '--max-semi-space-size=4' } }));
      semi[key] = { file: path.basename(row.file), rssMiB: median(runs.map((x) => x.rssKiB)) / 1024, wall: median(runs.map((x) => x.wall)), defaultRssMiB: row.rssMiB, defaultWall: row.wall };
    }
    process.stderr.write(`NODE_OPTIONS=--max-semi-space-size=4: ${semi.big.rssMiB.toFixed(0)} vs ${semi.small.rssMiB.toFixed(0)} MiB\n`);
  }

  // ---- multi-file (worker threads)
  let multi = null;
  if (o.multi) multi = runMulti(o, node, CLI, scanArgs, rows, cores);

  // ---- large fleets (memory: what a scan keeps is its findings)
  const fleets = o.fleets.map((f) => runFleet(o, f, scanArgs));

  // ---- start-up
  let startup = null;
  if (o.startup) {
    const ver = [],
      verRss = [],
      sc = [],
      scRss = [];
    let scanCode = null;
    for (let i = 0; i < 10; i++) {
      const a = timed([node, CLI, '--version']);
      ver.push(a.wall);
      verRss.push(a.rssKiB);
      const b = timed(scanArgs(small, 'startup-100'));
      scanCode = b.code;
      sc.push(b.wall);
      scRss.push(b.rssKiB);
    }
    const bare = [];
    for (let i = 0; i < 10; i++) bare.push(timed([node, '-e', '0']).wall);
    startup = {
      version: median(ver),
      versionRss: median(verRss),
      scan100: okExit('scan', scanCode) ? median(sc) : null,
      scan100Rss: median(scRss),
      scanCode,
      bareNode: median(bare),
    };
  }

  const md = renderMarkdown({ env, rows, multi, fleets, startup, o, cores, scanBroken, semi });
  process.stdout.write(md);
  fs.writeFileSync(path.join(OUT, 'results.md'), md);
  fs.writeFileSync(
    path.join(OUT, 'results.json'),
    JSON.stringify({ env, rows: rows.map(({ runs, ...r }) => ({ ...r, runs: runs.map(({ stderr, error, ...x }) => x) })), multi, fleets, startup, semi }, null, 2) + '\n',
  );
  process.stderr.write(`\nwritten ${path.relative(process.cwd(), path.join(OUT, 'results.md'))} and results.json\n`);
  fs.rmSync(TIME_OUT, { force: true });
}

/** scan exits 1 when findings reach --fail-on: that is success for a benchmark. */
function okExit(tool, code) {
  if (code == null) return false;
  if (tool === 'scan') return code === 0 || code === 1;
  return code === 0;
}

function summarise(r) {
  const ok = r.runs.every((m) => okExit(r.tool, m.code));
  const wall = ok ? median(r.runs.map((m) => m.wall)) : null;
  const rss = ok ? median(r.runs.map((m) => m.rssKiB)) : null;
  const cpu = ok ? median(r.runs.map((m) => m.cpu)) : null;
  return {
    file: r.file,
    layout: r.layout,
    n: r.n,
    bytes: r.bytes,
    tool: r.tool,
    label: r.label,
    ok,
    wall,
    rssMiB: rss != null ? rss / 1024 : null,
    cpu,
    sps: ok ? r.n / wall : null,
    mbps: ok ? r.bytes / 1e6 / wall : null,
    error: ok ? null : `exit ${r.runs.map((m) => m.code).join('/')}: ${firstLine(r.runs.find((m) => !okExit(r.tool, m.code)).stderr)}`.slice(0, 200),
    runs: r.runs,
  };
}

function runMulti(o, node, CLI, scanArgs, rows, cores) {
  // full run: 100 x 10k vs the 1M file; --quick (or no 1M in --sizes): 10 x 10k vs the 100k file
  const big = rows.find((r) => r.layout === 'tanp' && r.tool === 'scan' && r.n === 1e6) || rows.find((r) => r.layout === 'tanp' && r.tool === 'scan' && r.n === 1e5);
  if (!big) return { skipped: 'needs the tanp 100k or 1M scan in this run' };
  const count = big.n / 1e4;
  const dir = path.join(OUT, `multi-${count}x10k`);
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) ensureSnapshot('tanp', 1e4, path.join(dir, `snap-${String(i).padStart(3, '0')}.ss`), 1000 + i);
  const res = { count, dir: path.relative(REPO, dir), bigFile: path.relative(REPO, big.file), bigWall: big.wall, bigRssMiB: big.rssMiB, cores, runs: {} };
  // calibration: how many cores does this (shared) machine give us right now? The same fixed
  // CPU-bound work in 1 and in `cores` worker threads; effective cores = cores × wall(1) / wall(cores).
  const burn = (j) =>
    timed([
      node,
      '-e',
      `const {Worker}=require('worker_threads');let d=0;for(let k=0;k<${j};k++)new Worker("let x=0;for(let i=0;i<1.5e8;i++)x=(x+i*7)%1000003;require('worker_threads').parentPort.postMessage(x)",{eval:true}).on('message',()=>{if(++d===${j})process.exit(0)})`,
    ]).wall;
  const w1 = median(Array.from({ length: Math.max(1, o.repeat) }, () => burn(1)));
  const wj = median(Array.from({ length: Math.max(1, o.repeat) }, () => burn(cores)));
  res.calibration = { wall1: w1, wallN: wj, effectiveCores: (cores * w1) / wj };
  process.stderr.write(`parallel calibration: effective cores ${res.calibration.effectiveCores.toFixed(2)} of ${cores}\n`);
  // The same for this workload: every thread parses the same 20 snapshots with socklint's parser. Parsing is
  // memory-bound, and cores that share caches and memory bandwidth give less than the ALU loop says.
  const sample = fs.readdirSync(dir).sort().slice(0, 20).map((f) => path.join(dir, f));
  const parseBurn = (j) =>
    timed([
      node,
      '-e',
      `const {Worker}=require('worker_threads');let d=0;const code=${JSON.stringify(
        `const {parseSnapshotFile}=require(${JSON.stringify(path.join(o.root, 'dist/snapshot/source.js'))});` +
          `(async()=>{for(const f of ${JSON.stringify(sample)})await parseSnapshotFile(f,{socket(){},unparsed(){}},{});require('worker_threads').parentPort.postMessage(1)})()`,
      )};for(let k=0;k<${j};k++)new Worker(code,{eval:true}).on('message',()=>{if(++d===${j})process.exit(0)})`,
    ]).wall;
  const p1 = median(Array.from({ length: Math.max(1, o.repeat) }, () => parseBurn(1)));
  const pj = median(Array.from({ length: Math.max(1, o.repeat) }, () => parseBurn(cores)));
  res.parseCalibration = { wall1: p1, wallN: pj, effectiveCores: (cores * p1) / pj };
  process.stderr.write(`parser calibration: effective cores ${res.parseCalibration.effectiveCores.toFixed(2)} of ${cores}\n`);
  // the big file on one thread: the issue's "one million-socket file divided by the cores" read as a file
  // that does not use the cores itself (by default a large file is split across two threads)
  {
    const walls = [];
    for (let rep = 0; rep < o.repeat; rep++) {
      const m = timed(scanArgs(big.file, 'big-j1', ['-j', '1']));
      if (!okExit('scan', m.code)) break;
      walls.push(m.wall);
    }
    if (walls.length === o.repeat) res.bigWallOneThread = median(walls);
    process.stderr.write(`${res.bigFile} -j 1: ${res.bigWallOneThread == null ? 'FAILED' : res.bigWallOneThread.toFixed(2) + ' s'}\n`);
  }
  for (const j of [1, cores]) {
    const r = repeatedScan(o, scanArgs(dir, `multi-j${j}`, ['-j', String(j)]), `multi ${count} x 10k -j ${j}`);
    res.runs[j] = r.error ? r : { wall: median(r.runs.map((m) => m.wall)), rssMiB: median(r.runs.map((m) => m.rssKiB)) / 1024, cpu: median(r.runs.map((m) => m.cpu)) };
  }
  return res;
}

/** A scan (`argv`) run --repeat times, each told on stderr as `what`: { runs }, or { error, code } at the first failure. */
function repeatedScan(o, argv, what) {
  const runs = [];
  for (let rep = 0; rep < o.repeat; rep++) {
    process.stderr.write(`${what} ... `);
    const m = timed(argv);
    if (!okExit('scan', m.code)) {
      const error = firstLine(m.stderr) || `exit ${m.code}`;
      process.stderr.write(`FAILED: ${error}\n`);
      return { error, code: m.code };
    }
    process.stderr.write(`${m.wall.toFixed(2)} s, ${(m.rssKiB / 1024).toFixed(0)} MiB\n`);
    runs.push(m);
  }
  return { runs };
}

/**
 * A fleet of `count` snapshots of `size` sockets (seeds 5000+ for -tanp, 7000+ for the others) scanned by one
 * `socklint scan DIR` with the default -j (SARIF+JUnit+JSON): wall, CPU and peak RSS (median of --repeat runs),
 * and the findings the reports hold (from the JSON report) — what a fleet's memory grows with.
 */
function runFleet(o, { layout, count, size }, scanArgs) {
  const dir = path.join(OUT, `fleet-${layout}-${count}x${sizeName(size)}`);
  const seed = layout === 'tanp' ? 5000 : 7000;
  for (let i = 0; i < count; i++) ensureSnapshot(layout, size, path.join(dir, `snap-${String(i).padStart(4, '0')}.ss`), seed + i);
  const tag = `fleet-${layout}-${count}x${sizeName(size)}`;
  const r = repeatedScan(o, scanArgs(dir, tag), `fleet ${count} x ${sizeName(size)} ${layout}`);
  if (r.error) return { layout, count, size, dir: path.relative(REPO, dir), error: r.error };
  const runs = r.runs;
  let findings = null;
  try {
    findings = JSON.parse(fs.readFileSync(path.join(OUT, 'scan', `${tag}.json`), 'utf8')).findings.length;
  } catch {
    /* the report is checked by the tests; here it only gives the count */
  }
  return {
    layout,
    count,
    size,
    dir: path.relative(REPO, dir),
    findings,
    wall: median(runs.map((r) => r.wall)),
    cpu: median(runs.map((r) => r.cpu)),
    rssMiB: median(runs.map((r) => r.rssKiB)) / 1024,
    rssRangeMiB: [Math.min(...runs.map((r) => r.rssKiB)) / 1024, Math.max(...runs.map((r) => r.rssKiB)) / 1024],
  };
}

// ---------------------------------------------------------------------------------------------
function f2(x, d = 2) {
  return x == null ? '–' : x.toFixed(d);
}
function fint(x) {
  return x == null ? '–' : Math.round(x).toLocaleString('en-US');
}
function mark(ok) {
  return ok == null ? '? (not measured)' : ok ? 'MET' : '**NOT MET**';
}

function renderMarkdown({ env, rows, multi, fleets, startup, o, cores, scanBroken, semi }) {
  const L = [];
  L.push('# socklint benchmark results', '');
  L.push(`- date: ${env.date}; ${env.cpu}, ${env.memGiB} GiB RAM; node ${env.node}`);
  L.push(`- socklint ${env.socklint || '?'} from \`${env.root}\`${env.git ? ` (git ${env.git})` : ''}`);
  L.push(`- awk: ${env.awk}; jc: ${env.jc || 'not installed — jc column empty'}`);
  L.push(`- repeat: ${o.repeat} (median, runs interleaved); wall = monotonic clock around the process; CPU = GNU time %U+%S; RSS = GNU time %M (largest single process of the tree)`);
  L.push('- MB = 10^6 bytes; "vs awk" = wall time / awk-checks.sh wall time on the same file (lower is better);');
  L.push('  "× jc" = sockets/s ÷ jc --ss sockets/s on the -tuanp file of the same size (higher is better; * = jc rate from the largest size jc ran on)');
  if (o.note) L.push(`- note: ${o.note}`);
  if (scanBroken) L.push(`- **socklint scan failed its preflight on this tree**: ${scanBroken}`);
  L.push('');
  L.push('| file | sockets | MB | tool | wall s | CPU s | sockets/s | MB/s | peak RSS MiB | vs awk | × jc |');
  L.push('| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const name = path.basename(r.file);
    if (!r.ok) {
      L.push(`| ${name} | ${fint(r.n)} | ${f2(r.bytes / 1e6, 1)} | ${r.label} | FAILED | | ${String(r.error).replace(/\|/g, '\\|')} | | | | |`);
      continue;
    }
    L.push(
      `| ${name} | ${fint(r.n)} | ${f2(r.bytes / 1e6, 1)} | ${r.label} | ${f2(r.wall, r.wall < 10 ? 2 : 1)} | ${f2(r.cpu, r.cpu < 10 ? 2 : 1)} | ${fint(r.sps)} | ${f2(r.mbps, 1)} | ${f2(r.rssMiB, 0)} | ${f2(r.vsAwk)} | ${r.xJc == null ? '–' : f2(r.xJc, 1) + (r.jcEstimated ? '*' : '')} |`,
    );
  }
  L.push('');

  if (multi) {
    L.push('## Several snapshots (worker threads)', '');
    if (multi.skipped) L.push(`skipped: ${multi.skipped}`, '');
    else {
      const ideal = multi.bigWall / cores;
      L.push(`${multi.count} × 10k-socket -tanp snapshots in \`${multi.dir}/\` scanned by one \`socklint scan DIR -j N\` (SARIF+JUnit+JSON), vs one scan of \`${multi.bigFile}\` (${f2(multi.bigWall)} s). Target: -j ${cores} ≈ big-file time / ${cores} cores = ${f2(ideal)} s.`, '');
      if (multi.bigWallOneThread != null) {
        L.push(`That big file is itself split across two threads; scanned on one (\`-j 1\`) it takes ${f2(multi.bigWallOneThread)} s, / ${cores} cores = ${f2(multi.bigWallOneThread / cores)} s (the second reading of the target below).`, '');
      }
      if (multi.calibration) {
        const c = multi.calibration;
        L.push(`Parallel capacity right now (same CPU-bound loop in 1 vs ${cores} worker threads): ${f2(c.wall1)} s vs ${f2(c.wallN)} s → **${f2(c.effectiveCores)} effective cores** of ${cores}. On a shared machine the -j target is only meaningful when this is close to ${cores}.`, '');
      }
      if (multi.parseCalibration) {
        const c = multi.parseCalibration;
        L.push(`For this workload (socklint's parser over the same 20 snapshots in 1 vs ${cores} worker threads): ${f2(c.wall1)} s vs ${f2(c.wallN)} s → **${f2(c.effectiveCores)} effective cores**: the most -j ${cores} can gain over -j 1 on this machine.`, '');
      }
      L.push('| run | wall s | CPU s (user+sys) | CPU/wall | peak RSS MiB | vs big file | vs big file / cores |');
      L.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
      for (const [j, r] of Object.entries(multi.runs)) {
        if (r.error) L.push(`| -j ${j} | not available: ${String(r.error).replace(/\|/g, '\\|')} | | | | | |`);
        else L.push(`| -j ${j} | ${f2(r.wall)} | ${f2(r.cpu)} | ${f2(r.cpu / r.wall)} | ${f2(r.rssMiB, 0)} | ${f2(r.wall / multi.bigWall)} | ${f2(r.wall / ideal)} |`);
      }
      L.push('');
    }
  }
  if (fleets.length > 0) {
    L.push('## Large fleets (memory)', '');
    L.push('One `socklint scan DIR` (default -j, SARIF+JUnit+JSON) of many snapshots: a fleet keeps its findings until the reports, so its memory grows with them, not with sockets.', '');
    L.push('| fleet | snapshots | sockets | findings | wall s | CPU s | peak RSS MiB (range) |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const f of fleets) {
      if (f.error) L.push(`| \`${f.dir}/\` | ${fint(f.count)} | ${fint(f.count * f.size)} | | FAILED: ${String(f.error).replace(/\|/g, '\\|')} | | |`);
      else L.push(`| \`${f.dir}/\` (-${f.layout}) | ${fint(f.count)} | ${fint(f.count * f.size)} | ${f.findings == null ? '?' : fint(f.findings)} | ${f2(f.wall)} | ${f2(f.cpu)} | ${f2(f.rssMiB, 0)} (${f2(f.rssRangeMiB[0], 0)}–${f2(f.rssRangeMiB[1], 0)}) |`);
    }
    L.push('');
  }
  if (startup) {
    L.push('## Start-up (median of 10)', '');
    L.push('| command | wall ms | peak RSS MiB |', '| --- | ---: | ---: |');
    L.push(`| \`node -e 0\` (floor) | ${f2(startup.bareNode * 1000, 0)} | |`);
    L.push(`| \`socklint --version\` | ${f2(startup.version * 1000, 0)} | ${f2(startup.versionRss / 1024, 0)} |`);
    L.push(`| \`socklint scan\` 100-socket -tanpmioe, SARIF+JUnit+JSON | ${startup.scan100 == null ? `FAILED (exit ${startup.scanCode})` : f2(startup.scan100 * 1000, 0)} | ${f2(startup.scan100Rss / 1024, 0)} |`);
    L.push('');
  }

  // ---- targets
  L.push('## Targets (from the issue)', '');
  const get = (layout, n, tool) => rows.find((r) => r.layout === layout && r.n === n && r.tool === tool && r.ok);
  const t = [];
  for (const [layout, n] of [
    ['tanp', 1e6],
    ['tanpmioe', 2.5e5],
  ]) {
    const s = get(layout, n, 'scan');
    const tag = `${layout} ${sizeName(n)}`;
    // the status stays on the ratio of medians (the table's); the rounds show what one run's noise is
    const rounds = s && s.vsAwkRounds.length > 1
      ? ` (round by round: ${s.vsAwkRounds.map((x) => f2(x)).join(', ')}; their median ${f2(median(s.vsAwkRounds))})`
      : '';
    t.push([`full scan ${tag}: vs awk ≤ 1.0 (aim ≤ 0.67)`, s ? `${f2(s.vsAwk)}${rounds}` : 'not measured', s && s.vsAwk != null ? s.vsAwk <= 1.0 : null]);
    t.push([`full scan ${tag}: ≥ 10× jc sockets/s`, s && s.xJc != null ? `${f2(s.xJc, 1)}×${s.jcEstimated ? ' (jc rate from a smaller file)' : ''}` : 'not measured', s && s.xJc != null ? s.xJc >= 10 : null]);
  }
  const scans = rows.filter((r) => r.tool === 'scan' && r.ok);
  if (scans.length) {
    const worst = scans.reduce((a, b) => (b.rssMiB > a.rssMiB ? b : a));
    t.push([`peak RSS ≤ 256 MiB (all scans; worst: ${path.basename(worst.file)})`, `${f2(worst.rssMiB, 0)} MiB`, worst.rssMiB <= 256]);
  }
  const s100 = get('tanp', 1e5, 'scan'),
    s1m = get('tanp', 1e6, 'scan');
  t.push(['flat memory: RSS(1M tanp) ≤ 1.2 × RSS(100k tanp)', s100 && s1m ? `${f2(s1m.rssMiB / s100.rssMiB, 3)}× (${f2(s1m.rssMiB, 0)} vs ${f2(s100.rssMiB, 0)} MiB)` : 'not measured', s100 && s1m ? s1m.rssMiB <= 1.2 * s100.rssMiB : null]);
  if (semi) {
    const slower = (x) => `${f2((x.wall / x.defaultWall - 1) * 100, 0)} %`;
    t.push([
      '(same, with NODE_OPTIONS=--max-semi-space-size=4)',
      `${f2(semi.big.rssMiB / semi.small.rssMiB, 3)}× (${f2(semi.big.rssMiB, 0)} vs ${f2(semi.small.rssMiB, 0)} MiB; wall ${slower(semi.big)} / ${slower(semi.small)} vs default)`,
      semi.big.rssMiB <= 1.2 * semi.small.rssMiB,
    ]);
  }
  if (multi && !multi.skipped) {
    const r = multi.runs[cores];
    const ideal = multi.bigWall / cores;
    t.push([
      `${multi.count} × 10k with -j ${cores} ≈ big file / ${cores} (≤ 1.2× that)`,
      r && !r.error ? `${f2(r.wall)} s vs ${f2(ideal)} s (${f2(r.wall / ideal)}×)${multi.calibration ? `; machine gave ${f2(multi.calibration.effectiveCores)} effective cores` : ''}` : `not available${r && r.error ? ': ' + r.error : ''}`,
      r && !r.error ? r.wall <= 1.2 * ideal : false,
    ]);
    if (multi.bigWallOneThread != null && r && !r.error) {
      const one = multi.bigWallOneThread / cores;
      t.push([
        `(same, against the big file scanned on one thread / ${cores})`,
        `${f2(r.wall)} s vs ${f2(one)} s (${f2(r.wall / one)}×)`,
        r.wall <= 1.2 * one,
      ]);
    }
  }
  if (startup) {
    t.push(['`socklint --version` < 150 ms', `${f2(startup.version * 1000, 0)} ms`, startup.version < 0.15]);
    t.push(['scan of a 100-socket snapshot < 300 ms', startup.scan100 == null ? 'failed' : `${f2(startup.scan100 * 1000, 0)} ms`, startup.scan100 == null ? false : startup.scan100 < 0.3]);
  }
  L.push('| target | measured | status |', '| --- | --- | --- |');
  for (const [name, val, ok] of t) L.push(`| ${name} | ${val} | ${mark(ok)} |`);
  L.push('');
  return L.join('\n');
}

module.exports = { median, firstLine };

if (require.main === module) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`bench: ${e.stack || e.message}\n`);
    process.exit(1);
  }
}
