/**
 * What a scan keeps in memory, checked against the heap Node.js may use. Sockets are dropped as they are
 * evaluated, but findings are kept for the reports (a few KB each, with their sockets), and an aggregate rule
 * keeps a counter (and its first offenders) per group. A fleet large enough, or a snapshot with a very large
 * number of groups (a rule grouping by a field with very many distinct values, or a hostile capture with a
 * distinct process name on every socket), fills the heap — and V8 then aborts the process with a native stack
 * trace instead of a message. The scan checks after each snapshot of several, and every CHECK_EVERY sockets
 * within one, and stops with a one-line error (OutOfMemoryError, exit 2) while the reports could still be
 * written. A snapshot split across two threads (split.ts) is checked in each thread as it is parsed, and
 * once more before the worker's part is copied to this thread and merged (scan.ts, scanSplit).
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { setV8Flag } from '../compile-cache';
import { ExitCode, UserError, type Diagnostic } from '../diagnostics';

const MiB = 1048576;

/**
 * Share of the old generation's limit (oldGenerationLimit) what the scan keeps may fill: the JSON report is
 * written finding by finding, SARIF one file (20 hosts) at a time and JUnit one testsuite's document at a time
 * (its text is kept: ~10 % of the findings' memory), so the reports need a fraction more on top of it. (JUnit
 * had 0.3 while the library built one document of every suite.) Measured with copies of a small `-tanpmioe`
 * snapshot (20 findings each), SARIF+JUnit+JSON, -j 1: in a 64 MiB old generation 1,500 were reported and
 * 2,000 made V8 abort without the check, which stops the scan after ~875; in 128 MiB after ~2,400.
 */
export const FINDINGS_HEAP_SHARE = 0.5;

/**
 * Sockets of one snapshot between two checks (a check reads V8's heap statistics and counts what each rule
 * keeps: ~1 µs; 244 of them in a 1M-socket scan). Between two checks the heap grows by what the sockets add:
 * with every socket a group of its own (~400 bytes) of two aggregate rules, ~3 MiB — 65,536 added ~50 MiB, so
 * a 64 or 96 MiB old generation filled between two checks and V8 aborted the process before the second.
 */
export const CHECK_EVERY = 4096;

/** Where within one snapshot the scan stopped (checkRuleStateMemory), and the heap it read there (MiB). */
export interface StoppedAt {
  line: number;
  sockets: number;
  used: number;
  limit: number;
}

/** The scan keeps more than the heap allows: the whole scan stops (not one snapshot's error among others). */
export class OutOfMemoryError extends UserError {
  /** `at`: where within its snapshot (the check of a snapshot's rule state, not of a fleet's findings). */
  constructor(diagnostic: Diagnostic, readonly at?: StoppedAt) {
    super(diagnostic, ExitCode.usage);
  }
}

/**
 * The check stopped the scan of the second byte range of a split snapshot (split.ts), on a worker thread:
 * `at` counts the range's lines from the base they are numbered from and its sockets only. The scan of the
 * snapshot restates it as an OutOfMemoryError once the first range is parsed (scan.ts, scanSplit).
 */
export class RangeOutOfMemory extends Error {
  constructor(readonly at: StoppedAt) {
    super(`out of memory ${at.sockets} sockets into the second range`);
    this.name = 'RangeOutOfMemory';
  }
}

/**
 * Rough heap cost of a kept finding and of an aggregate group, set high: a finding with its socket holds
 * ~0.7 KB (`-tanp`) to ~1.5 KB (`-tanpmioe`) itself (test/engine/finding-memory.test.ts), and its reports
 * need room on top.
 */
export const FINDING_BYTES = 3000;
export const GROUP_BYTES = 500;

/**
 * The old generation's use and limit in MiB (oldGenerationUsed, oldGenerationLimit) when it holds more than
 * `share` of its limit and what the scan keeps (`kept` bytes, estimated) is at least half of that, else
 * undefined. The use alone counts garbage not collected yet (when the young generation was counted too, a 250k
 * `-tanpmioe` scan in a 64 MiB old generation read ~36 MiB used while keeping ~15 MiB of findings, and
 * completes); the estimate alone would not see what it leaves out.
 */
function heapOver(share: number, kept: number, incoming = 0): { used: number; limit: number } | undefined {
  const used = oldGenerationUsed() + incoming;
  const limit = oldGenerationLimit();
  if (used <= share * limit || kept < (share * limit) / 2) return undefined;
  return { used: Math.round(used / MiB), limit: Math.round(limit / MiB) };
}

/**
 * Bytes used in the spaces of the old generation (all but the young generation's `new_space` and
 * `new_large_object_space`), what oldGenerationLimit bounds. The young generation is left out: mostly the
 * parse's garbage (a semi-space grows to 16 MiB), it counted a 64 MiB fleet scan full after 307 small snapshots
 * (6,140 findings) when 1,500 fit with their reports; what it holds of the kept is at most a semi-space, and
 * reaches the old generation by the next check or so. (~1 µs, as V8's heap statistics.)
 */
function oldGenerationUsed(): number {
  let used = 0;
  for (const space of v8.getHeapSpaceStatistics()) if (!space.space_name.startsWith('new_')) used += space.space_used_size;
  return used;
}

/** This thread's old generation limit in bytes, once known (it does not change while the process runs). */
let oldLimit: number | undefined;

/**
 * The heap V8 lets this thread's long-lived objects fill: the old generation's limit (--max-old-space-size),
 * past which V8 aborts the process (`FATAL ERROR … heap out of memory`, exit 134). V8's heap_size_limit adds
 * the young generation to it — three semi-spaces, 48 MiB on a 64-bit machine with 8 GiB or more — where
 * objects are made and die, not kept: with --max-old-space-size=64 it says 112 MiB, so a check against it let
 * the scan keep ~56 MiB of an old generation of 64, and V8 aborted before the check stopped it. The young
 * generation is not told apart by V8's statistics, so it is found from the flags that set either part (on the
 * command line or in NODE_OPTIONS, which worker threads share), or a worker's resourceLimits; failing those,
 * as V8 sizes it from the old generation (a semi-space of 1/128 of it, at most 16 MiB), taken at its largest.
 */
export function oldGenerationLimit(): number {
  if (oldLimit !== undefined) return oldLimit;
  const limit = v8.getHeapStatistics().heap_size_limit;
  const old = v8Flag('max-old-space-size');
  if (old !== undefined) return (oldLimit = Math.min(old * MiB, limit));
  const semi = v8Flag('max-semi-space-size');
  // (node:worker_threads loaded here, once: ~2.8 ms of a start that uses no worker otherwise)
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { isMainThread, resourceLimits } = require('node:worker_threads') as typeof import('node:worker_threads');
  const worker = isMainThread ? 0 : resourceLimits.maxYoungGenerationSizeMb ?? 0;
  const young = semi !== undefined ? 3 * semi * MiB : worker > 0 ? worker * MiB : Math.min(48 * MiB, (3 * limit) / 128 + 3 * MiB);
  return (oldLimit = Math.max(limit - young, limit / 4));
}

/**
 * The MiB a V8 flag of this process is given (`--max-old-space-size=64`, `--max_old_space_size=64`; Node.js
 * refuses a value after a space), or undefined: the last of NODE_OPTIONS then of the command line, which
 * Node.js applies after NODE_OPTIONS.
 */
export function v8Flag(name: string, execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): number | undefined {
  const flag = new RegExp(`(?:^|\\s)--${name.replace(/-/g, '[-_]')}=(\\d+)(?=\\s|$)`, 'g');
  let found: number | undefined;
  for (const text of [nodeOptions, execArgv.join(' ')]) {
    for (const m of text.matchAll(flag)) found = Number(m[1]);
  }
  return found;
}

const MORE_MEMORY = 'give Node.js more memory (NODE_OPTIONS=--max-old-space-size=MiB)';

/**
 * Throws OutOfMemoryError naming `last` (the snapshot just scanned) when the heap holds more than `share` of
 * its limit after `snapshots` snapshots with `findings` findings kept.
 */
export function checkFindingsMemory(last: string, snapshots: number, findings: number, share = FINDINGS_HEAP_SHARE): void {
  const over = heapOver(share, findings * FINDING_BYTES);
  if (over === undefined) return;
  throw new OutOfMemoryError({
    file: last,
    code: 'out-of-memory',
    message: `after ${snapshots === 1 ? '1 snapshot, its' : `${snapshots} snapshots, their`} ${findings} finding${findings === 1 ? ' fills' : 's fill'} ${over.used} MiB of the ${over.limit} MiB Node.js may use: the reports would not fit`,
    hint: `lower --max-findings, scan fewer snapshots per run, or ${MORE_MEMORY}`,
  });
}

/** What the rules keep of a snapshot, or of a part of one: findings listed, aggregate groups. */
export interface RuleStateKept {
  findings: number;
  groups: number;
}

const keptBytes = (k: RuleStateKept): number => k.findings * FINDING_BYTES + k.groups * GROUP_BYTES;

/**
 * Throws OutOfMemoryError naming `file`:`line` when, `sockets` sockets into one snapshot that has made
 * `findings` findings and `groups` aggregate groups so far, the heap holds more than `share` of its limit:
 * what the rules keep of that snapshot (findings are capped per rule, so in practice the groups of an
 * aggregate rule) does not leave the reports room.
 *
 * `incoming`: what the rules kept of the rest of the snapshot on another thread, not in this heap yet (the
 * second range of a split snapshot, before it is copied here to be merged: scanSplit). It counts as held
 * already, at its estimated cost: a copy of ~100k groups from a worker had V8 abort this thread while it
 * deserialized them, each range's own checks having passed.
 */
export function checkRuleStateMemory(file: string, line: number, sockets: number, kept: RuleStateKept, share = FINDINGS_HEAP_SHARE, incoming?: RuleStateKept): void {
  const extra = incoming === undefined ? 0 : keptBytes(incoming);
  const over = heapOver(share, keptBytes(kept) + extra, extra);
  if (over === undefined) return;
  throw ruleStateOutOfMemory(file, { line, sockets, ...over });
}

/**
 * Rough heap cost of an unparsed line `socklint parse --format json` holds until its snapshot's sockets are written
 * (~175 bytes measured for a line of junk: its text cut for reports, its reason), set high.
 */
export const UNPARSED_LINE_BYTES = 400;

/** Unparsed lines held between two checks (checkUnparsedMemory): ~3 MB of them. */
export const CHECK_UNPARSED_EVERY = 16384;

/**
 * Share of the old generation's limit the unparsed lines `socklint parse --format json` holds may fill: it
 * writes them one at a time, so they need little room beyond themselves (with --max-old-space-size=64, 300k
 * lines of junk were written and 350k made V8 abort; at this share the check stops ~280k, and lets 200k through).
 */
export const UNPARSED_HEAP_SHARE = 0.75;

/**
 * Throws OutOfMemoryError naming `file`:`line` when the heap holds more than `share` of its limit with `held`
 * unparsed lines of a snapshot kept for the json document of `socklint parse` (which lists them after the
 * snapshot's sockets): a file of junk has an unparsed line per line, and V8 aborted the process with a native
 * stack trace (400k lines in a 64 MiB old generation) instead of a message.
 */
export function checkUnparsedMemory(file: string, line: number, held: number, share = UNPARSED_HEAP_SHARE): void {
  const over = heapOver(share, held * UNPARSED_LINE_BYTES);
  if (over === undefined) return;
  throw new OutOfMemoryError({
    file,
    line,
    code: 'out-of-memory',
    message: `${held} unparsed lines in, the json document's list of them fills ${over.used} MiB of the ${over.limit} MiB Node.js may use`,
    hint: `use --format ndjson (one socket a line, unparsed lines on stderr as they are found), or ${MORE_MEMORY}`,
  });
}

/**
 * Share of the heap limit from which what the rules kept of a part of a snapshot (the second range of a split
 * one) is sent to the thread that merges it only once that thread has checked it has room for it (scan.ts,
 * scanSplit: admit). A smaller part is sent at once: asking costs a round trip between the threads, and the
 * copy, made while the main thread loads the report formatters, would then wait for it (~10–40 ms with ~700
 * `-tanpmioe` findings). The range worker's heap has the main thread's old generation.
 */
export const ASK_BEFORE_SENDING_SHARE = 1 / 16;

/** Whether a part of a snapshot that keeps `kept` is sent only once the thread it goes to has room (above). */
export function askBeforeSending(kept: RuleStateKept): boolean {
  return keptBytes(kept) >= ASK_BEFORE_SENDING_SHARE * oldGenerationLimit();
}

/** The OutOfMemoryError of checkRuleStateMemory, for `file` and where in it (`at`). */
export function ruleStateOutOfMemory(file: string, at: StoppedAt): OutOfMemoryError {
  return new OutOfMemoryError({
    file,
    line: at.line,
    code: 'out-of-memory',
    message: `${at.sockets} sockets in, what the rules keep of this snapshot fills ${at.used} MiB of the ${at.limit} MiB Node.js may use: the reports would not fit`,
    hint: `an aggregate rule grouping by a field with very many distinct values keeps a counter per value: group by fewer, or ${MORE_MEMORY}`,
  }, { ...at });
}

/**
 * Whether `e` is how Node.js reports a worker thread that V8 stopped at its heap limit (the `error` event of a
 * Worker: the thread ends, not the process). A worker's heap has the limit of this one's old generation.
 */
export function isWorkerOutOfMemory(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/**
 * The OutOfMemoryError for a worker thread that V8 stopped at its heap limit while it scanned `file` (or a
 * part of it) before the check could (checkRuleStateMemory): where in the file is not known.
 */
export function workerOutOfMemory(file: string): OutOfMemoryError {
  return new OutOfMemoryError({
    file,
    code: 'out-of-memory',
    message: 'what the rules keep of this snapshot filled the memory Node.js may use on the worker thread scanning it: the reports would not fit',
    hint: `an aggregate rule grouping by a field with very many distinct values keeps a counter per value: group by fewer, or ${MORE_MEMORY}`,
  });
}

/**
 * Findings from which a full garbage collection runs before each report is written. V8 grows the old
 * generation rather than collect what one report left before the next allocates, so a fleet's peak was the sum
 * of its reports' garbage: 1,000 snapshots of 10k (98,810 findings; SARIF, JUnit and JSON; -j 2) peaked at
 * 315–318 MiB in three runs of four (267 in one), and at 267–271 MiB in three runs with a collection before
 * each report, in the same time (7.8–8.4 s against 8.0–8.5 s). Such a collection takes tens of milliseconds:
 * not worth it for small reports.
 */
export const COLLECT_FROM_FINDINGS = 20000;

let collect: (() => void) | null | undefined;

/** A full garbage collection when the scan keeps `findings` findings or more (see COLLECT_FROM_FINDINGS); true when one ran. */
export function collectBeforeReport(findings: number): boolean {
  if (findings < COLLECT_FROM_FINDINGS) return false;
  if (collect === undefined) {
    // Node.js exposes gc() only with --expose-gc; the flag set now holds for contexts made from here on
    setV8Flag('expose-gc', true);
    const fn: unknown = vm.runInNewContext('typeof gc === "function" ? gc : null');
    collect = typeof fn === 'function' ? (fn as () => void) : null;
  }
  if (collect === null) return false;
  collect();
  return true;
}

/**
 * Heap growth (garbage, mostly) after which the next piece of a report starts after a full collection. SARIF
 * of 100 × 10k `-tanpmioe` snapshots (66,000 findings, five files of ~8.5 MB) peaked at ~405 MiB when only each
 * report started after one; collecting after 32 / 64 / 128 MiB of growth: 243 / 268 / 361 MiB (SARIF + JUnit +
 * JSON). 1,000 × 10k `-tanp` (50 files of ~1.8 MB): 235 / 240 / 239 MiB, in the same time; a collection
 * before every file took it from ~8 to ~11 s (each one marks every finding kept).
 */
export const COLLECT_AFTER_GROWTH = 32 * 1048576;

/**
 * For a report written in several pieces that are each built whole (SARIF: one file of 20 hosts at a time):
 * call before each piece; it collects (and says so) when the heap has grown by COLLECT_AFTER_GROWTH since
 * the last collection, the garbage of the pieces before it.
 */
export function pieceCollector(findings: number): () => boolean {
  const used = (): number => v8.getHeapStatistics().used_heap_size;
  let floor = used();
  return () => {
    if (used() - floor < COLLECT_AFTER_GROWTH || !collectBeforeReport(findings)) return false;
    floor = used();
    return true;
  };
}
