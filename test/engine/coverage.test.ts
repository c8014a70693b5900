/**
 * Rules that can only match sockets a capture's flags never list (close-wait-excess on `ss -tlnp`) are not
 * evaluated (src/snapshot/coverage.ts, SnapshotEvaluator.finish) — unless the rows show such sockets anyway,
 * which a snapshot split into two byte ranges must tell the same way as one scanned whole.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfiguredRules, loadConfig } from '../../src/engine/config';
import { scanRange, scanSnapshot, scanSplit } from '../../src/engine/scan';
import { unlistedReason, type FindingsListed } from '../../src/engine/evaluate';
import { captureCoverage } from '../../src/snapshot/coverage';
import { NETIDS, STATES } from '../../src/rules/fields';

const ROOT = path.resolve(__dirname, '../..');
let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-coverage-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const rules = () => ConfiguredRules.load(loadConfig(undefined), [], true, 1000);

/** A generated `-tanp` capture whose rows are listening ones, but for CLOSE-WAIT rows kept in its last tenth. */
function listeningWithLateCloseWait(flags: string): string {
  const gen = path.join(dir, 'gen.ss');
  execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '12000', '--layout', 'tanp', '--seed', '3', '--out', gen], { stdio: 'ignore' });
  const lines = fs.readFileSync(gen, 'utf8').split('\n');
  const late = Math.floor(lines.length * 0.9);
  const kept = lines.filter((l, i) => i === 0 || l.startsWith('LISTEN') || l === '' || (i > late && l.startsWith('CLOSE-WAIT')));
  const file = path.join(dir, `cap-${flags}.ss`);
  // padded listeners, so that the file is long enough to split
  const listeners = kept.filter((l) => l.startsWith('LISTEN'));
  const body = [kept[0], ...Array.from({ length: 400 }, () => listeners).flat(), ...kept.slice(1)];
  fs.writeFileSync(file, `# flags: ${flags}\n${body.join('\n')}`);
  return file;
}

function notEvaluatedIds(r: Awaited<ReturnType<typeof scanSnapshot>>): string[] {
  return 'notEvaluated' in r ? r.notEvaluated.map((n) => n.ruleId) : [];
}

it('a rule whose sockets the flags never list is not evaluated; rows that show them anyway win, split or whole', async () => {
  const file = listeningWithLateCloseWait('-tlnp');
  const input = { path: file, label: file };
  const whole = await scanSnapshot(input, { rules: rules() });
  // time-wait/syn-sent/ESTAB rules: no such row, and -l lists none
  expect(notEvaluatedIds(whole)).toEqual(expect.arrayContaining(['time-wait-excess', 'syn-sent-excess', 'recv-queue-backlog']));
  // close-wait-excess: -l lists no CLOSE-WAIT socket, but the rows show some (the flags are wrong): evaluated
  expect(notEvaluatedIds(whole)).not.toContain('close-wait-excess');
  expect('snapshot' in whole && whole.snapshot.rulesEvaluated).toContain('close-wait-excess');

  const r = rules();
  let scanned = 0;
  const split = await scanSplit(input, { rules: r }, 0, () => {
    let listed: (b: FindingsListed) => void = () => undefined;
    const before = new Promise<FindingsListed>((resolve) => { listed = resolve; });
    return { ready: Promise.resolve(), scan: (task) => { scanned++; return scanRange(task, r, before); }, followOn: (b) => listed(b), cancel() {} };
  });
  expect(split).toBeDefined();
  expect(scanned).toBe(1);
  expect(JSON.parse(JSON.stringify(split))).toEqual(JSON.parse(JSON.stringify(whole)));
});

it('without rows of those sockets, the same capture leaves close-wait-excess not evaluated, saying why', async () => {
  const file = path.join(dir, 'listen-only.ss');
  fs.writeFileSync(file, '# flags: -tlnp\nState  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\nLISTEN 0      128          0.0.0.0:22        0.0.0.0:*\n');
  const r = await scanSnapshot({ path: file, label: file }, { rules: rules() });
  const ne = 'notEvaluated' in r ? r.notEvaluated.find((n) => n.ruleId === 'close-wait-excess') : undefined;
  expect(ne?.reason).toBe('needs tcp sockets in state CLOSE-WAIT, which a capture taken with -tlnp does not list: capture with ss -a (every state)');
  // the same rows without flags: nothing says which sockets the capture could list, so the rule passes
  const bare = path.join(dir, 'listen-only-bare.ss');
  fs.writeFileSync(bare, fs.readFileSync(file, 'utf8').split('\n').slice(1).join('\n'));
  const r2 = await scanSnapshot({ path: bare, label: bare }, { rules: rules() });
  expect('snapshot' in r2 && r2.snapshot.rulesEvaluated).toContain('close-wait-excess');
});

it('names a filter that admits most tables or states by those it leaves out', () => {
  const c = captureCoverage('-tan');
  const allBut = (all: readonly string[], ...not: string[]) => new Set(all.filter((x) => x !== 'unknown' && !not.includes(x)));
  expect(unlistedReason({ netids: allBut(NETIDS, 'tcp') }, c)).toBe(
    'needs sockets of any table but tcp, which a capture taken with -tan does not list: capture with ss -A all (the tables)');
  expect(unlistedReason({ netids: new Set(['udp']), states: allBut(STATES, 'ESTAB', 'LISTEN') }, captureCoverage('-tn'))).toBe(
    'needs udp sockets in any state but ESTAB or LISTEN, which a capture taken with -tn does not list: capture with ss -u (the table)');
  expect(unlistedReason({ netids: new Set(['udp', 'raw']) }, c)).toBe(
    'needs udp or raw sockets, which a capture taken with -tan does not list: capture with ss -u or -w (the tables)');
});

it('an ss -E capture (events) lists the sockets the kernel destroyed, not the host\'s: no rule is evaluated on it', async () => {
  const file = path.join(ROOT, 'fixtures/events/ss-Et.ss'); // three tcp sockets, each UNCONN (closed)
  const scanned = (flags: string) => scanSnapshot({ path: file, label: file, flags }, { rules: rules() });
  for (const flags of ['-Et', '--events -t', '-Eatn', '-E']) {
    const r = await scanned(flags);
    expect('notEvaluated' in r && { flags, reasons: [...new Set(r.notEvaluated.map((n) => n.reason))], evaluated: r.snapshot.rulesEvaluated }).toEqual({
      flags,
      reasons: ['needs the sockets a host has, which a capture taken with ss -E (events) does not list: it lists the tcp and udp sockets ' +
        'the kernel destroyed as it ran; capture without -E (ss -tuanp)'],
      evaluated: [],
    });
  }
  // a udp socket destroyed while bound to 0.0.0.0:514 is no listener to report
  const udp = await scanSnapshot({ path: path.join(ROOT, 'fixtures/events/ss-Euan.ss'), label: 'u', flags: '-Euan' }, { rules: rules() });
  expect('findings' in udp && udp.findings).toEqual([]);
  // the same rows read as a table (ss -t: connected states) leave those rules passing, as a table without them would
  const table = await scanned('-t');
  expect('snapshot' in table && table.snapshot.rulesEvaluated).toEqual(expect.arrayContaining(['close-wait-excess', 'recv-queue-backlog', 'syn-sent-excess']));
});

it('a capture whose rows show ss -E (a udp Send-Q of -1) is one, whatever flags it was given or not (its udp 514 was reported listening)', async () => {
  for (const [name, flags] of [['ss-E.ss', undefined], ['ss-Euan.ss', undefined], ['ss-Eun.ss', '-un'], ['ss-Etuen.ss', '-tuen']] as const) {
    const r = await scanSnapshot({ path: path.join(ROOT, 'fixtures/events', name), label: name, ...(flags ? { flags } : {}) }, { rules: rules() });
    expect('findings' in r && { name, findings: r.findings, evaluated: r.snapshot.rulesEvaluated, reasons: [...new Set(r.notEvaluated.map((n) => n.reason))] }).toEqual({
      name, findings: [], evaluated: [],
      reasons: [expect.stringMatching(/^needs the sockets a host has, which a capture taken with ss -E \(events\) does not list: .* destroyed as it ran \(line \d+'s Send-Q of -1 is ss -E's\); capture without -E/)],
    });
  }
});

it('flags that ask for -m, -i or -e items no row shows (ss 6.7 without -p prints none) leave the rules needing them not evaluated, not passing', async () => {
  const file = path.join(dir, 'unshown.ss');
  fs.writeFileSync(file, '# flags: -tanmie\nState Recv-Q Send-Q Local Address:Port Peer Address:Port\nESTAB 0 0 10.0.0.1:22 10.0.0.9:50000\nLISTEN 0 128 0.0.0.0:8080 0.0.0.0:*\n');
  const r = await scanSnapshot({ path: file, label: 'h' }, { rules: rules() });
  if (!('notEvaluated' in r)) throw new Error('not scanned');
  const reasons = Object.fromEntries(r.notEvaluated.map((n) => [n.ruleId, n.reason]));
  for (const id of ['high-rtt', 'socket-drops', 'socket-memory-pressure', 'root-listener-exposed']) {
    expect([id, reasons[id]]).toEqual([id, expect.stringMatching(/, which no row shows though the capture's flags ask for it: ss 6\.7 prints no -e, -m, -i or -o item without -p \(capture with -p\), or the flags are not the capture's$/)]);
  }
  expect(r.findings.map((f) => f.ruleId)).toEqual(['unexpected-listener']); // (needs no -e, -m or -i item)
});

it('-m and -i asked of a capture with no socket, or only TIME-WAIT and SYN-RECV ones (which carry neither), hold as the flags say', async () => {
  for (const [name, rows] of [['empty', ''], ['tw', 'TIME-WAIT 0 0 10.0.0.1:22 10.0.0.9:50000 timer:(timewait,20sec,0) ino:0\n']] as const) {
    const file = path.join(dir, `${name}-mi.ss`);
    fs.writeFileSync(file, `# flags: -tanmie\nState Recv-Q Send-Q Local Address:Port Peer Address:Port\n${rows}`);
    const r = await scanSnapshot({ path: file, label: 'h' }, { rules: rules() });
    if (!('notEvaluated' in r)) throw new Error('not scanned');
    expect([name, r.notEvaluated.filter((n) => /no row shows/.test(n.reason)).map((n) => n.ruleId)]).toEqual([name, []]);
    expect(r.snapshot.rulesEvaluated).toEqual(expect.arrayContaining(['high-rtt', 'socket-drops', 'socket-memory-pressure']));
  }
});
