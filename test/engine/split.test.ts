/**
 * Intra-file parallelism (src/engine/split.ts): a snapshot scanned as two byte ranges gives exactly the
 * report of the one-thread scan — line numbers, inferred Netids, capped findings, group counters and
 * offenders — and a file whose first range does not end in the predicted parser state is scanned whole.
 * The second range runs in this thread here (the CLI runs it on a worker; test/e2e/inputs.test.ts).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfiguredRules, loadConfig } from '../../src/engine/config';
import { FIRST_SHARE, KEEP_SHARE, cutPoint, giveTail, planHead } from '../../src/engine/split';
import { SnapshotEvaluator, type FindingsListed } from '../../src/engine/evaluate';
import { OutOfMemoryError, RangeOutOfMemory } from '../../src/engine/memory';
import { REMEMBERED_MAX, REMEMBERED_ROWS } from '../../src/snapshot/parser';
import { RANGE_LINE_BASE, rangeHolds, scanRange, scanSnapshot, scanSplit, type RangeHolds, type RangeResult, type RangeRunner, type RangeTask } from '../../src/engine/scan';
import { CORPUS } from '../snapshot/helpers';

const ROOT = path.resolve(__dirname, '../..');
let dir: string;

/** A rule of the test pack: its id (also its title), severity, and the rest (match, aggregate, message). */
const rule = (id: string, severity: string, rest: string) =>
  `  - id: ${id}\n    title: ${id}\n    kind: health\n    severity: ${severity}\n    description: test\n    help: test\n${rest}`;

/**
 * What the default pack lacks: max with offenders by value, count per port with a small top, a per-socket
 * rule on TCP info, a process name and a CIDR, and a max of TCP info grouped by two keys.
 */
const EXTRA_RULES = `rules:\n${[
  rule('test-max-recvq', 'note', `    match: {netid: tcp}
    aggregate: {function: max, field: recvQ, groupBy: [state], gte: 0, top: 3}
    message: "{group.state}: {observed}"\n`),
  rule('test-count-port', 'note', `    match: {state: {in: [ESTAB, TIME-WAIT]}}
    aggregate: {function: count, groupBy: [localPort], gt: 10, top: 2}
    message: "{group.localPort}: {observed}"\n`),
  rule('test-slow-java', 'warning', `    match: {tcp.rtt: {gt: 20}, process.name: {matches: "^j"}, peer.address: {cidr: 10.0.0.0/8}}
    message: "{tcp.rtt} ms to {peer} ({process})"\n`),
  rule('test-max-rtt-peer', 'note', `    match: {netid: tcp}
    aggregate: {function: max, field: tcp.rtt, groupBy: [peerAddress, state], gt: 50, top: 2}
    message: "{group.peerAddress}: {observed}"\n`),
].join('')}`;

function generate(name: string, layout: string, sockets: number, seed = 1): string {
  const out = path.join(dir, name);
  execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', String(sockets), '--layout', layout, '--seed', String(seed), '--out', out], { stdio: 'ignore' });
  return out;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-split-'));
  fs.writeFileSync(path.join(dir, 'extra.yaml'), EXTRA_RULES);
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function rulesWith(cap: number): ConfiguredRules {
  return ConfiguredRules.load(loadConfig(undefined), [path.join(dir, 'extra.yaml')], true, cap);
}

let rangesScanned = 0;
let tailsGiven = 0;
/**
 * A runner that scans the second range in this thread, as the worker does (it waits for followOn). It starts on
 * it once the first range is parsed (followOn), so that the tail it is asked for first (giveTail, as a worker
 * that lags behind is) is half of it: the file is scanned as three ranges, the third one after the second.
 */
function inThread(rules: ConfiguredRules, ready: Promise<void> = Promise.resolve(), tails = true): () => RangeRunner {
  return () => {
    let listed: (before: FindingsListed) => void = () => undefined;
    const before = new Promise<FindingsListed>((resolve) => { listed = resolve; });
    let scanning: RangeTask | undefined;
    return {
      ready,
      scan: async (task) => { rangesScanned++; scanning = task; await before; return scanRange(task, rules, before); },
      followOn: (b) => listed(b),
      giveTail: async (minBytes) => {
        const at = tails && scanning ? giveTail(scanning.input.path, scanning.range, minBytes) : undefined;
        if (at !== undefined) tailsGiven++;
        return at;
      },
      cancel() {},
    };
  };
}

it.each([
  ['tanp', 1, 50],
  ['tanp', 2, 1000],
  ['tanpmioe', 1, 20],
  ['tuanp', 3, 50],
])('a %s snapshot (seed %d, cap %d) scanned as two ranges gives the one-thread report', async (layout, seed, cap) => {
  const file = generate(`${layout}-${seed}.ss`, layout as string, 12000, seed as number);
  const rules = rulesWith(cap as number);
  const input = { path: file, label: file };
  expect(await planHead(file, fs.statSync(file).size)).toBeDefined();
  const whole = await scanSnapshot(input, { rules });
  const before = rangesScanned;
  // what this thread does while the worker finishes (the CLI loads its report formatters) is called once,
  // before the worker's range is waited for: here that range is held back until it is called
  // (or by a timer, which fails the test)
  let waited = 0;
  let releasedBy = '';
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => { release = r; });
  const releaseBy = (who: string) => { releasedBy ||= who; release(); };
  const timer = setTimeout(() => releaseBy('timer'), 3000);
  const runner = inThread(rules);
  let sent: FindingsListed | undefined;
  let second: RangeResult | undefined;
  const split = await scanSplit(input, { rules }, 0, () => {
    const r = runner();
    return {
      ...r,
      scan: async (task) => { await held; return (second = await r.scan(task)); },
      followOn: (b) => { sent = b; r.followOn(b); },
    };
  }, () => { waited++; releaseBy('whileWaiting'); });
  clearTimeout(timer);
  expect(split).toBeDefined();
  expect(rangesScanned).toBe(before + 1);
  expect(releasedBy).toBe('whileWaiting');
  expect(waited).toBe(1);
  expect(JSON.parse(JSON.stringify(split))).toEqual(JSON.parse(JSON.stringify(whole)));
  const r = split as Exclude<typeof split, undefined>;
  expect('snapshot' in r && r.findings.length).toBeGreaterThan(0);
  // the second range listed no more findings per rule than the first range left room for; with a small cap,
  // a rule filled the room there and counted the rest as omitted
  const rules2 = second!.partial.rules;
  const room = (i: number) => (cap as number) - sent!.counts[i];
  rules2.forEach((x, i) => { if (!x.groups) expect(x.findings.length).toBeLessThanOrEqual(room(i)); });
  const trimmed = rules2.some((x, i) => !x.groups && x.findings.length === room(i) && x.omitted > 0);
  expect(trimmed).toBe((cap as number) <= 50);
});

it('a second range parsed before the first one makes its findings while it waits, then keeps those the first range leaves room for', async () => {
  const file = generate('early-second.ss', 'tanpmioe', 12000, 2);
  const rules = rulesWith(20); // small rooms: most findings made while waiting are dropped
  const input = { path: file, label: file };
  const whole = await scanSnapshot(input, { rules });
  const settle = jest.spyOn(SnapshotEvaluator.prototype, 'settleSome');
  let made = 0; // batches made before the first range's listing came
  let second: RangeResult | undefined;
  let sent: FindingsListed | undefined;
  try {
    const split = await scanSplit(input, { rules }, 0, () => {
      let listed: (before: FindingsListed) => void = () => undefined;
      const before = new Promise<FindingsListed>((resolve) => { listed = resolve; });
      return {
        ready: Promise.resolve(),
        scan: async (task) => (second = await scanRange(task, rules, before)),
        // (what the first range lists comes late: the second range, parsed meanwhile, waits for it)
        followOn: (b) => { sent = b; setTimeout(() => { made = settle.mock.results.filter((r) => r.value === true).length; listed(b); }, 300); },
        cancel() {},
      };
    });
    expect(JSON.parse(JSON.stringify(split))).toEqual(JSON.parse(JSON.stringify(whole)));
  } finally {
    settle.mockRestore();
  }
  expect(made).toBeGreaterThan(1);
  const rules2 = second!.partial.rules;
  rules2.forEach((x, i) => { if (!x.groups) expect(x.findings.length).toBeLessThanOrEqual(20 - sent!.counts[i]); });
  expect(rules2.some((x, i) => !x.groups && x.omitted > 0 && x.findings.length === 20 - sent!.counts[i])).toBe(true);
});

it('scans the file whole when the first range does not end in the state the second was parsed from', async () => {
  const src = fs.readFileSync(generate('base.ss', 'tanp', 12000), 'utf8').split('\n');
  // a second table header a quarter in: it resets the Netid decision, so line numbers in inferred Netids change
  const q = Math.floor(src.length / 4);
  const file = path.join(dir, 'two-tables.ss');
  fs.writeFileSync(file, [...src.slice(0, q), src[0], ...src.slice(q)].join('\n'));
  const rules = rulesWith(50);
  const input = { path: file, label: file };
  let cancelled = false;
  const split = await scanSplit(input, { rules }, 0, () => ({ ready: Promise.resolve(), scan: (task) => scanRange(task, rules), followOn() {}, cancel() { cancelled = true; } }));
  expect(split).toBeUndefined();
  expect(cancelled).toBe(true);
});

describe('the memory check of a split snapshot (memory.ts): what stops it is named where it is in the file', () => {
  /** The OutOfMemoryError `p` rejects with (undefined when it resolves). */
  const stopped = (p: Promise<unknown>): Promise<OutOfMemoryError | undefined> => p.then(() => undefined, (e: unknown) => {
    expect(e).toBeInstanceOf(OutOfMemoryError);
    return e as OutOfMemoryError;
  });

  it("takes the second range's result only when this thread has room for both ranges' groups and findings", async () => {
    // a worker's ~100k groups, copied to this thread after each range's own check had passed, filled its heap
    // as they were deserialized (V8 aborted the process, exit 134): they are counted before they are taken
    const file = generate('room.ss', 'tanp', 12000, 5);
    const rules = rulesWith(50);
    const input = { path: file, label: file };
    const whole = await scanSnapshot(input, { rules });
    if (!('snapshot' in whole)) throw new Error('no report');
    const runner = inThread(rules);
    const told: RangeHolds[] = [];
    let tailAt: number | undefined;
    // the runner tells `admit` what the result holds (made larger by `grow`) before it hands it over; with
    // `tails`, it gives this thread the end of its range, as a worker that lags behind does
    const split = (grow: (h: RangeHolds) => RangeHolds, tails: boolean) => scanSplit(input, { rules }, 0, () => {
      const r = runner();
      return {
        ...r,
        scan: async (task, admit) => {
          const result = await r.scan(task);
          const holds = grow(rangeHolds(result));
          told.push(holds);
          admit?.(holds);
          return result;
        },
        giveTail: tails ? async (minBytes) => (tailAt = await r.giveTail!(minBytes)) : undefined,
      };
    });
    // room: the one-thread report
    expect(JSON.parse(JSON.stringify(await split((h) => h, false)))).toEqual(JSON.parse(JSON.stringify(whole)));
    expect(told[0]).toEqual(expect.objectContaining({ sockets: expect.any(Number), lines: expect.any(Number) }));
    expect(told[0].sockets).toBeGreaterThan(0);
    expect(told[0].sockets).toBeLessThan(12000);
    // a billion groups: no room. Named at the file's last line, every socket counted (both ranges are parsed)
    const e = await stopped(split((h) => ({ ...h, groups: 1e9 }), false));
    expect(e).toBeDefined();
    expect(e!.exitCode).toBe(2);
    expect(e!.diagnostics[0]).toEqual(expect.objectContaining({ file, line: whole.snapshot.lines, code: 'out-of-memory' }));
    expect(e!.diagnostics[0].message).toMatch(/^12000 sockets in, what the rules keep of this snapshot fills \d+ MiB of the \d+ MiB Node\.js may use/);
    // the second range shortened (its tail parsed here): named at its end, the sockets up to there counted
    const t = await stopped(split((h) => ({ ...h, groups: 1e9 }), true));
    expect(tailAt).toBeDefined();
    const upTo = fs.readFileSync(file).subarray(0, tailAt).toString('latin1').split('\n').length - 1;
    expect(upTo).toBeLessThan(whole.snapshot.lines - 100);
    expect(t!.diagnostics[0]).toEqual(expect.objectContaining({ file, line: upTo, code: 'out-of-memory' }));
    expect(t!.diagnostics[0].message).toMatch(new RegExp(`^${upTo - 1} sockets in, `));
    // and with room, the tail's own groups are checked too before they are merged
    tailAt = undefined;
    told.length = 0;
    expect(JSON.parse(JSON.stringify(await split((h) => h, true)))).toEqual(JSON.parse(JSON.stringify(whole)));
    expect(tailAt).toBeDefined();
  });

  it("restates the second range's own check with the line in the file and the sockets of both ranges", async () => {
    // the worker's check names a line counted from the range's base and the range's sockets only (the scan
    // of the whole file in one thread once followed this, and named its own line)
    const file = generate('range-oom.ss', 'tanp', 12000, 6);
    const rules = rulesWith(50);
    let cut = -1;
    const at = { line: RANGE_LINE_BASE + 7, sockets: 5, used: 90, limit: 134 };
    const e = await stopped(scanSplit({ path: file, label: file }, { rules }, 0, () => ({
      ready: Promise.resolve(),
      scan: (task) => { cut = task.range.start; return Promise.reject(new RangeOutOfMemory(at)); },
      followOn() {},
      cancel() {},
    })));
    expect(e).toBeDefined();
    // the lines before the cut (one header, then a socket a line), then 7 into the range
    const before = fs.readFileSync(file).subarray(0, cut).toString('latin1').split('\n').length - 1;
    expect(before).toBeGreaterThan(100);
    expect(e!.diagnostics[0]).toEqual(expect.objectContaining({ file, line: before + 7, code: 'out-of-memory' }));
    expect(e!.diagnostics[0].message).toBe(`${before - 1 + 5} sockets in, what the rules keep of this snapshot fills 90 MiB of the 134 MiB Node.js may use: the reports would not fit`);
  });
});

it('cuts the rest of the file where the first thread has got to when the worker is ready, or parses it all', async () => {
  const file = generate('late.ss', 'tanp', 60000, 4);
  const size = fs.statSync(file).size;
  const rules = rulesWith(50);
  const input = { path: file, label: file };
  const whole = JSON.parse(JSON.stringify(await scanSnapshot(input, { rules })));
  // ready after this thread has read some chunks: the cut is past the middle of the file
  let cutAt = -1;
  let release: () => void = () => undefined;
  const late = new Promise<void>((r) => { release = r; });
  setTimeout(() => release(), 30);
  const r1 = await scanSplit(input, { rules }, 0, () => ({
    ready: late,
    scan: (task) => { cutAt = task.range.start; return scanRange(task, rules); },
    followOn() {},
    cancel() {},
  }));
  expect(JSON.parse(JSON.stringify(r1))).toEqual(whole);
  if (cutAt >= 0) expect(cutAt).toBeGreaterThan(size / 2);
  // never ready: no cut, the one-thread report, the runner cancelled
  let cancelled = false;
  let scanned = false;
  const r2 = await scanSplit(input, { rules }, 0, () => ({
    ready: new Promise<void>(() => undefined),
    scan: (task) => { scanned = true; return scanRange(task, rules); },
    followOn() {},
    cancel() { cancelled = true; },
  }));
  expect(JSON.parse(JSON.stringify(r2))).toEqual(whole);
  expect(scanned).toBe(false);
  expect(cancelled).toBe(true);
});

/** A header and 200,000 records of a row and a detail line each: the file, its size and text, and the record. */
function recordsFile(name: string) {
  const file = path.join(dir, name);
  const head = 'State Recv-Q Send-Q Local Address:Port Peer Address:Port\n';
  const row = 'ESTAB 0 0 10.0.0.1:22 10.0.0.2:5000\n\tcubic rtt:1/1\n';
  fs.writeFileSync(file, head + row.repeat(200000));
  return { file, size: fs.statSync(file).size, text: fs.readFileSync(file, 'latin1'), row };
}

it('cuts at the start of a record line', () => {
  const { file, size, text, row } = recordsFile('cut.ss');
  const cut = cutPoint(file, 0, size, 0)!;
  // the first record at or after this thread's share of the rest
  const share = Math.floor(size * FIRST_SHARE);
  expect(cut).toBeGreaterThanOrEqual(share);
  expect(cut - share).toBeLessThanOrEqual(row.length);
  expect(text[cut - 1]).toBe('\n');
  expect(text.startsWith('ESTAB', cut)).toBe(true);
  expect(cutPoint(file, size - 1000, size)).toBeUndefined(); // too little left
  expect(cutPoint(file, size - 1000, size, 0)).toBeGreaterThan(size - 1000);
});

it("gives the end of a range being parsed to the other thread: about half of what is left, at a record's start", () => {
  const { file, size, text, row } = recordsFile('tail.ss');
  const range = { start: 1000 * row.length, end: size, fed: 5000 * row.length };
  const at = giveTail(file, range, 0)!;
  expect(range.end).toBe(at); // what this thread parses now ends there
  const half = range.fed + Math.floor((size - range.fed) * KEEP_SHARE);
  expect(at).toBeGreaterThanOrEqual(half);
  expect(at - half).toBeLessThanOrEqual(row.length);
  expect(text.startsWith('ESTAB', at)).toBe(true);
  // asked again, it gives half of what it kept; not when too little is left or its parse is over
  expect(giveTail(file, range, 0)).toBeLessThan(at);
  expect(giveTail(file, { start: 0, end: size, fed: size - 1000 })).toBeUndefined();
  const over = { start: 0, end: size, fed: 1000, done: true };
  expect(giveTail(file, over, 0)).toBeUndefined();
  expect(over.end).toBe(size);
});

it('scans the file whole when the second range writes a line number into a text (a new table there)', async () => {
  const src = fs.readFileSync(generate('base3.ss', 'tanp', 12000), 'utf8').split('\n');
  // a second table header three quarters in: its Netid decision names a line of the second range
  const q = Math.floor((src.length * 3) / 4);
  const file = path.join(dir, 'two-tables-late.ss');
  fs.writeFileSync(file, [...src.slice(0, q), src[0], ...src.slice(q)].join('\n'));
  const rules = rulesWith(50);
  const before = rangesScanned;
  expect(await scanSplit({ path: file, label: file }, { rules }, 0, inThread(rules))).toBeUndefined();
  expect(rangesScanned).toBe(before + 1);
});

describe('a snapshot whose tables differ in their columns, split between them or in the second one', () => {
  const junk = (n: number) => Array.from({ length: n }, (_, i) => `junk line ${i} of a log concatenated into the capture`);
  let n = 0;
  /** `lines` scanned whole and split (where scanSplit cuts it: FIRST_SHARE in), where it was cut, and the text. */
  let threeRanges = 0;
  /**
   * `lines` scanned whole and split (where scanSplit cuts it: FIRST_SHARE in), where it was cut, and the text;
   * split again with the second range's tail parsed by the first thread (three ranges), which gives the same
   * report or is scanned whole (when the second range does not end at a record boundary).
   */
  async function wholeAndSplit(lines: string[]) {
    const file = path.join(dir, `tables-${n++}.ss`);
    const text = `${lines.join('\n')}\n`;
    fs.writeFileSync(file, text, 'latin1');
    const rules = rulesWith(50);
    const input = { path: file, label: file };
    const whole = await scanSnapshot(input, { rules });
    let cut = -1;
    const runner = inThread(rules, Promise.resolve(), false);
    const split = await scanSplit(input, { rules }, 0, () => {
      const r = runner();
      return { ...r, scan: (task) => { cut = task.range.start; return r.scan(task); } };
    });
    const tails = tailsGiven;
    const three = await scanSplit(input, { rules }, 0, inThread(rules));
    expect(tailsGiven).toBe(tails + 1);
    if (three !== undefined) {
      threeRanges++;
      expect(JSON.parse(JSON.stringify(three))).toEqual(JSON.parse(JSON.stringify(whole)));
    }
    return { whole, split, cut, text };
  }
  afterAll(() => {
    // most of them in three ranges
    expect(threeRanges).toBeGreaterThan(n / 2);
  });

  // A snapshot without any row carries what its last header's columns do (`ss -tln` where nothing listens: the
  // rules on the state are evaluated, and pass). A byte range without a row is no such snapshot: with -j 2 the
  // range that held only junk and an empty table's header added the State column, and rules on the state were
  // evaluated (passing) where -j 1 reported them not evaluated (found by fuzzing)
  const STATE = 'State      Recv-Q Send-Q     Local Address:Port              Peer Address:Port Process';
  const NETID = 'Netid Recv-Q Send-Q     Local Address:Port              Peer Address:Port Process';
  let noState: string[]; // ESTAB rows of `ss -tnp state established`: no State column
  beforeAll(() => {
    const rows = fs.readFileSync(generate('estab.ss', 'tanp', 12000, 7), 'latin1').split('\n').filter((l) => l.startsWith('ESTAB'));
    noState = rows.map((l) => l.replace(/^\S+\s+/, ''));
  });
  it.each([
    // the rows, then junk (where the file is cut) and an `ss -tln` header without rows: the second range's
    ['`ss -tun state established`, junk, an empty `ss -tln`', () => [NETID, ...noState.map((l) => `tcp   ${l}`), ...junk(30000), STATE]],
    // an `ss -tln` header without rows and junk (where the file is cut), then rows without a State column: the first range's
    ['an empty `ss -tln`, junk, `ss -Htn state established`', () => [STATE, ...junk(30000), ...noState]],
  ])('a range without a socket row does not lend the snapshot its header\'s columns: %s', async (_, lines) => {
    const { whole, split, cut, text } = await wholeAndSplit(lines());
    if (!('snapshot' in whole)) throw new Error('no report');
    // the State column is missing from every row: the rules on the state are not evaluated
    const stateless = whole.notEvaluated.filter((e) => /needs the socket state/.test(e.reason)).map((e) => e.ruleId);
    expect(stateless).toEqual(expect.arrayContaining(['listen-queue-overflow', 'unexpected-listener', 'close-wait-excess']));
    expect(text.startsWith('junk line ', cut)).toBe(true); // one of the ranges holds no socket row
    expect(split).toBeDefined();
    expect(JSON.parse(JSON.stringify(split))).toEqual(JSON.parse(JSON.stringify(whole)));
  });

  // the second range starts with the columns the first range ends with, and its own header (if any) changes them as
  // in the one-thread scan: the Netid column or not, the State column or not, a header or not, -O or TAB-led details
  const capture = (name: string) => {
    const lines = fs.readFileSync(path.join(ROOT, 'fixtures/real', `small.${name}.ss`), 'latin1').split('\n').filter((l) => l.length > 0);
    const header = /^(Netid|State|Recv-Q)\s/.test(lines[0]) ? [lines[0]] : [];
    const body = lines.slice(header.length);
    const bytes = body.reduce((n, l) => n + l.length + 1, 0);
    // the capture's rows repeated to at least `size` bytes
    return { header, rows: (size: number) => Array.from({ length: Math.ceil(size / bytes) }, () => body).flat() };
  };
  const bytesOf = (lines: string[]) => lines.reduce((n, l) => n + l.length + 1, 0);
  it.each([
    // the second capture's rows without their header, read with the first one's columns: cut among them
    ['rows', 'tanpmioe', 'tuaxnpmioeO'],
    ['rows', 'tanpmioeO', 'tanpmioe'],
    ['rows', 'tanpmioe', 'tp-state-close-wait'],
    ['rows', 'Htan', 'tuaxnpmioeO'],
    ['rows', 'tuaxnpmioeO', 'xa'],
    // the second capture with its header: cut in the junk before it
    ['junk', 'tanpmioeO', 'xa'],
    ['junk', 'tuaxnpmioeO', 'tp-state-close-wait'],
    ['junk', 'tanp', 'tuaxnpmioeO'],
    ['junk', 'tanpmioe', 'tua'],
  ])('cut in the %s: small.%s.ss, junk, then small.%s.ss', async (where, first, second) => {
    const a = capture(first);
    const b = capture(second);
    const before = [...a.header, ...a.rows(100000), ...junk(where === 'rows' ? 100 : 4000)];
    const { whole, split, cut, text } = await wholeAndSplit([...before, ...(where === 'rows' ? [] : b.header), ...b.rows(where === 'rows' ? 300000 : 100000)]);
    if (where === 'rows') expect(cut).toBeGreaterThan(bytesOf(before));
    else expect(text.startsWith('junk line ', cut)).toBe(true);
    expect(split).toBeDefined();
    expect(JSON.parse(JSON.stringify(split))).toEqual(JSON.parse(JSON.stringify(whole)));
  });

  // two runs of ss one after another (`ss -tanp >> log`): the second one's rows list the first one's sockets again,
  // and the file is refused whichever range the second run is in; two tables of other sockets are not
  it.each([
    ['in the second range', 100000, 100000, true],
    ['in the first range', 1000, 200000, true],
    ['of other sockets (tcp and udp, then unix)', 100000, 100000, false],
  ])('a second ss run %s', async (_, firstBytes, secondBytes, same) => {
    // (with a Netid column: a table without one is decided anew, and a range that decides one is scanned whole)
    const a = capture('tua');
    const b = capture(same ? 'tua' : 'xa');
    const first = [...a.header, ...a.rows(firstBytes)];
    const { whole, split, cut } = await wholeAndSplit([...first, ...b.header, ...b.rows(secondBytes)]);
    expect(cut < bytesOf(first)).toBe(firstBytes > secondBytes / 2); // where the second run starts: which range
    expect(split).toBeDefined();
    expect(JSON.parse(JSON.stringify(split))).toEqual(JSON.parse(JSON.stringify(whole)));
    if (same) {
      // the first row of the second run is the second run's first listener, listed at line 2 too
      expect(whole).toMatchObject({ code: 'several-runs', line: first.length + 2, message: expect.stringContaining('the socket of line 2:') });
    } else {
      expect('code' in whole!).toBe(false);
    }
  });

  it('a second ss run in the second range repeating a table the first range read after the head its seed is from', async () => {
    const a = capture('tua');
    const b = capture('xa');
    const before = [...a.header, ...a.rows(40000), ...b.header, ...b.rows(40000), ...junk(4000)];
    const { whole, split, cut } = await wholeAndSplit([...before, ...b.header, ...b.rows(100000)]);
    expect(cut > bytesOf([...a.header, ...a.rows(40000), ...b.header]) && cut < bytesOf(before)).toBe(true); // in the junk
    expect(split).toBeDefined();
    expect(JSON.parse(JSON.stringify(split))).toEqual(JSON.parse(JSON.stringify(whole)));
    expect(whole).toMatchObject({ code: 'several-runs', line: before.length + 2 });
  });

  it('a second ss run cut among its first rows: the rows after the cut are compared as the one-thread scan compares them', async () => {
    // the first REMEMBERED_ROWS rows of a table are compared with earlier tables'; a range starting a few rows into
    // a table once compared none of its own (it "started deep"), and a file of two runs whose second run repeats a
    // socket only after the cut was scanned as one snapshot
    const HEADER = 'Netid State  Recv-Q Send-Q   Local Address:Port     Peer Address:Port Process';
    const row = (i: number) => `tcp   ESTAB  0      0      10.1.${String(i >> 8).padStart(3, '0')}.${String(i & 255).padStart(3, '0')}:40000   10.2.0.1:443`;
    const runOne = [HEADER, ...Array.from({ length: 1000 }, (_, i) => row(i))];
    const fresh = Array.from({ length: 40 }, (_, i) => row(5000 + i)); // sockets of the second run only
    const L = row(0).length + 1;
    // as many rows of the first run again as put the cut (FIRST_SHARE in) ~20 rows into the second run
    const at = bytesOf(runOne) + bytesOf([HEADER]) + 20 * L;
    const again = Math.ceil(at / FIRST_SHARE / L) - runOne.length - 1 - fresh.length;
    const lines = [...runOne, HEADER, ...fresh, ...Array.from({ length: again }, (_, i) => row(i))];
    const { whole, split, cut } = await wholeAndSplit(lines);
    const firstFresh = bytesOf([...runOne, HEADER]);
    expect(cut).toBeGreaterThan(firstFresh);
    expect(cut).toBeLessThan(firstFresh + 40 * L);
    expect(whole).toMatchObject({ code: 'several-runs', line: runOne.length + 1 + fresh.length + 1, message: expect.stringContaining('the socket of line 2:') });
    expect(JSON.parse(JSON.stringify(split))).toEqual(JSON.parse(JSON.stringify(whole)));
  });

  // The parse compares the first REMEMBERED_MAX sockets of the tables' first rows and stops at the next new one:
  // the split scan stops where it does. Its second range once compared sockets the file's parse no longer kept,
  // and refused a file of hundreds of tables that the one-thread scan accepted.
  describe(`a file of more tables than the ${REMEMBERED_MAX} sockets compared (hundreds of hosts' ss runs one after another)`, () => {
    const HEADER = 'Netid State  Recv-Q Send-Q   Local Address:Port     Peer Address:Port Process';
    const row = (i: number) => `tcp   ESTAB  0      0      10.${i >> 16}.${(i >> 8) & 255}.${i & 255}:40000   10.200.0.1:443`;
    /** Table `t` of distinct sockets (REMEMBERED_ROWS rows). */
    const table = (t: number) => [HEADER, ...Array.from({ length: REMEMBERED_ROWS }, (_, i) => row(t * REMEMBERED_ROWS + i))];
    const tables = (from: number, to: number) => Array.from({ length: to - from }, (_, t) => table(from + t)).flat();
    const FULL = REMEMBERED_MAX / REMEMBERED_ROWS; // the table whose first row stops the comparing

    it.each([
      // a table after the last one compared, listed twice: both in the second range
      ['a table after the compared ones, twice', () => [...tables(0, FULL + 20), ...table(FULL + 30), ...table(FULL + 30)], undefined],
      // an early table listed again after them (the parse stopped comparing before it)
      ['an early table again', () => [...tables(0, FULL + 20), ...table(5)], undefined],
      // the same before the stop: refused
      ['an early table again before the stop', () => [...tables(0, FULL - 40), ...table(5)], (FULL - 40) * (REMEMBERED_ROWS + 1) + 2],
      // the second range alone holds more tables than are compared (junk puts the cut before them)
      ['more tables than are compared in the second range', () => [...tables(0, 40), ...junk(40000), ...tables(40, FULL + 300), ...table(FULL + 290)], undefined],
    ])('%s', async (name, make, refusedAt) => {
      const lines = make();
      const { whole, split, cut, text } = await wholeAndSplit(lines);
      expect(split).toBeDefined();
      expect(JSON.parse(JSON.stringify(split))).toEqual(JSON.parse(JSON.stringify(whole)));
      if (refusedAt === undefined) {
        expect('code' in whole!).toBe(false);
        // the row the parse stops comparing at is in the second range (the merge stops there)
        expect(bytesOf(lines.slice(0, lines.indexOf(row(FULL * REMEMBERED_ROWS))))).toBeGreaterThan(cut);
      } else {
        expect(whole).toMatchObject({ code: 'several-runs', line: refusedAt, message: expect.stringContaining(`the socket of line ${5 * (REMEMBERED_ROWS + 1) + 2}:`) });
      }
      if (name.includes('second range')) expect(text.startsWith('junk line ', cut)).toBe(true);
    });
  });
});

it('does not split small files, gzip or stdin', async () => {
  const file = generate('small.ss', 'tanp', 200);
  const rules = rulesWith(50);
  expect(await scanSplit({ path: file, label: file }, { rules }, undefined, inThread(rules))).toBeUndefined();
  const gz = path.join(dir, 'big.ss.gz');
  fs.writeFileSync(gz, require('node:zlib').gzipSync(fs.readFileSync(generate('big.ss', 'tanp', 12000))));
  expect(await scanSplit({ path: gz, label: gz }, { rules }, 0, inThread(rules))).toBeUndefined();
});

it('every fixture snapshot, split at any size, is either scanned whole or gives the one-thread report', async () => {
  const files = filesUnder(path.join(ROOT, 'fixtures'), /\.(ss|out)$/);
  expect(files.length).toBeGreaterThan(10);
  const tails = tailsGiven;
  expect(await splitsMatch(files, rulesWith(50))).toBeGreaterThan(0);
  expect(tailsGiven).toBeGreaterThan(tails);
});

it("every corpus capture (other systems' ss, repeated to 64 KiB), split, is either scanned whole or gives the one-thread report", async () => {
  // the body of each capture (after its header and comment lines) repeated: two ranges of real-world rows,
  // with a cap of 3 findings per rule so that the second range's room (followOn) is small or none
  const files = filesUnder(CORPUS, /\.out$/);
  expect(files.length).toBeGreaterThan(40);
  const big: string[] = [];
  for (const f of files) {
    const lines = fs.readFileSync(f, 'latin1').split('\n');
    let i = 0;
    while (i < lines.length && (/^(Netid|State|Recv-Q)\s/.test(lines[i]) || lines[i].startsWith('#'))) i++;
    const body = lines.slice(i).filter((l) => l.length > 0);
    if (body.length < 2) continue;
    const unit = `${body.join('\n')}\n`;
    const out = path.join(dir, `corpus-${big.length}-${path.basename(f)}`);
    fs.writeFileSync(out, (i > 0 ? `${lines.slice(0, i).join('\n')}\n` : '') + unit.repeat(Math.ceil(65536 / unit.length)), 'latin1');
    big.push(out);
  }
  expect(big.length).toBeGreaterThan(40);
  const tails = tailsGiven;
  expect(await splitsMatch(big, rulesWith(3))).toBeGreaterThan(30);
  expect(tailsGiven - tails).toBeGreaterThan(30); // most of them in three ranges (inThread)
});

/** The files under `d` (at any depth) whose names match `name`. */
function filesUnder(d: string, name: RegExp): string[] {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(d, e.name);
    if (e.isDirectory()) return filesUnder(p, name);
    return name.test(e.name) ? [p] : [];
  });
}

/** Each file scanned split (when it is) and whole give the same report; returns how many were split. */
async function splitsMatch(files: string[], rules: ConfiguredRules): Promise<number> {
  let split = 0;
  for (const file of files) {
    const input = { path: file, label: file };
    const whole = await scanSnapshot(input, { rules });
    const before = rangesScanned;
    const r = await scanSplit(input, { rules }, 0, inThread(rules));
    if (r === undefined) continue;
    if (rangesScanned > before) split++;
    expect({ file, report: JSON.parse(JSON.stringify(r)) }).toEqual({ file, report: JSON.parse(JSON.stringify(whole)) });
  }
  return split;
}
