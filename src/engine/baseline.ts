/**
 * Baselines: `socklint baseline` records today's findings by fingerprint; `scan --baseline` then marks the
 * findings already recorded as suppressed (kind `baseline`), so only new exposures fail a golden-image gate.
 */
import { readTextLimited } from '../read-limited';
import { notUtf8, tooLarge } from '../rules/yaml-source';
import { ExitCode, UserError } from '../diagnostics';
import type { Finding, ScanReport, SnapshotReport, Suppression, WaiverReport } from './types';
import type { FindingFilter } from './scan';
import { compareText } from '../compare';
import { listed } from '../report/text';
import { formerFingerprint } from './fingerprint';

export const BASELINE_FORMAT = 1;

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  host: string;
  message: string;
}

export interface BaselineFile {
  socklintBaseline: number;
  tool: { name: string; version: string };
  createdAt: string;
  /** The hosts scanned, with or without findings (absent from baselines written before hosts were recorded: then their findings' hosts). */
  hosts?: string[];
  findings: BaselineEntry[];
}

/**
 * The findings to record (not suppressed, one per fingerprint), ordered by the text of host, rule id and
 * fingerprint joined (byJoinedKey).
 */
export function buildBaseline(report: ScanReport): BaselineFile {
  const seen = new Set<string>();
  const findings: BaselineEntry[] = [];
  for (const f of report.findings) {
    if (f.suppressed || seen.has(f.fingerprint)) continue; // (a waived finding's waiver decides: it fails once that ends)
    seen.add(f.fingerprint);
    findings.push({ fingerprint: f.fingerprint, ruleId: f.ruleId, host: f.host, message: f.message });
  }
  findings.sort(byJoinedKey);
  const hosts = [...new Set(report.snapshots.map((s) => s.host))].sort(compareText);
  return { socklintBaseline: BASELINE_FORMAT, tool: { name: report.tool.name, version: report.tool.version }, createdAt: report.startedAt, hosts, findings };
}

/**
 * compareText of `host + ruleId + fingerprint`, without joining them: joined in each comparison, ordering 1M
 * findings made ~40M texts of garbage (~6 s of a 31 s `socklint baseline`, with their collections), and a key
 * kept per entry costs ~150 MB at 1M. Entries of one host and rule (most comparisons) compare their fingerprints.
 */
function byJoinedKey(a: BaselineEntry, b: BaselineEntry): number {
  if (a.host === b.host && a.ruleId === b.ruleId) return compareText(a.fingerprint, b.fingerprint);
  // by UTF-16 code unit along the three texts of each, as if joined
  const part = (e: BaselineEntry, i: number): string => (i === 0 ? e.host : i === 1 ? e.ruleId : e.fingerprint);
  let ai = 0;
  let ao = 0;
  let bi = 0;
  let bo = 0;
  for (;;) {
    while (ai < 3 && ao === part(a, ai).length) { ai++; ao = 0; }
    while (bi < 3 && bo === part(b, bi).length) { bi++; bo = 0; }
    if (ai === 3 || bi === 3) return ai === bi ? 0 : ai === 3 ? -1 : 1;
    const ca = part(a, ai).charCodeAt(ao++);
    const cb = part(b, bi).charCodeAt(bo++);
    if (ca !== cb) return ca < cb ? -1 : 1;
  }
}

/**
 * The baseline's file text (`JSON.stringify(b, null, 2)` and a newline) in pieces, an entry at a time: the text of
 * a baseline of 1M findings is ~200 MB, which would be held on top of the findings; a larger one would pass the
 * longest string V8 can make.
 */
export function* baselineText(b: BaselineFile): Generator<string, void, undefined> {
  const { findings, ...head } = b;
  // the other keys as JSON.stringify indents them, `findings` last as buildBaseline orders them
  const top = JSON.stringify({ ...head, findings: [] }, null, 2);
  if (findings.length === 0) {
    yield `${top}\n`;
    return;
  }
  yield `${top.slice(0, -'[]\n}'.length)}[\n`;
  for (let i = 0; i < findings.length; i++) {
    yield `    ${JSON.stringify(findings[i], null, 2).replace(/\n/g, '\n    ')}${i < findings.length - 1 ? ',' : ''}\n`;
  }
  yield '  ]\n}\n';
}

/**
 * The largest baseline read: a fleet of 1,000 hosts with ~99,000 findings writes ~19 MB. The limit keeps a pipe
 * or device given by mistake (`--baseline /dev/zero`) from being read without end.
 */
export const BASELINE_MAX_BYTES = 256 * 1024 * 1024;

const WRITE_IT = 'write it with `socklint baseline SNAPSHOT... -o FILE`';

export function loadBaseline(file: string): BaselineFile {
  let text: string;
  try {
    const read = readTextLimited(file, BASELINE_MAX_BYTES);
    if ('tooLarge' in read) throw new UserError(tooLarge(file, read.size, BASELINE_MAX_BYTES), ExitCode.usage);
    if ('notUtf8' in read) throw new UserError(notUtf8(file, read.notUtf8), ExitCode.usage);
    text = read.text;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError({ file, code: 'unreadable-baseline', ...readProblem(e as NodeJS.ErrnoException) }, ExitCode.usage);
  }
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text); // a byte-order mark from an editor
  } catch (e) {
    throw new UserError({ file, code: 'bad-baseline', message: `not JSON: ${(e as Error).message}`, hint: WRITE_IT }, ExitCode.usage);
  }
  const problem = baselineProblem(data);
  if (problem !== undefined) throw new UserError({ file, code: 'bad-baseline', message: `not a socklint baseline (version ${BASELINE_FORMAT}): ${problem}`, hint: WRITE_IT }, ExitCode.usage);
  return data as BaselineFile;
}

/** Why the baseline file could not be read, in words, as a snapshot's is said (not a bare errno). */
function readProblem(e: NodeJS.ErrnoException): { message: string; hint?: string } {
  switch (e.code) {
    case 'ENOENT':
      return { message: 'baseline file not found', hint: WRITE_IT };
    case 'EISDIR':
      return { message: 'is a folder, not a baseline file' };
    case 'EACCES':
    case 'EPERM':
      return { message: 'cannot read the baseline file (permission denied)' };
    default:
      return { message: `cannot read the baseline file (${e.code ?? e.message})` };
  }
}

const isText = (v: unknown): v is string => typeof v === 'string';

/** What makes `data` not a baseline `buildBaseline` could have written, or undefined. */
function baselineProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'not a JSON object';
  const b = data as Record<string, unknown>;
  if (b.socklintBaseline !== BASELINE_FORMAT) return `"socklintBaseline" is ${JSON.stringify(b.socklintBaseline) ?? 'missing'}, expected ${BASELINE_FORMAT}`;
  if (!isText(b.createdAt) || Number.isNaN(Date.parse(b.createdAt))) return '"createdAt" is not a date and time';
  if (b.hosts !== undefined && !(Array.isArray(b.hosts) && b.hosts.every(isText))) return '"hosts" is not a list of host names';
  if (!Array.isArray(b.findings)) return '"findings" is not a list';
  const bad = b.findings.findIndex((f: unknown) => {
    const e = f as Partial<Record<keyof BaselineEntry, unknown>> | null;
    return typeof e !== 'object' || e === null || !isText(e.fingerprint) || !isText(e.ruleId) || !isText(e.host) || !isText(e.message);
  });
  if (bad >= 0) return `findings[${bad}] needs the texts "fingerprint", "ruleId", "host" and "message"`;
  // (a fingerprint socklint never writes would match nothing, and the finding it was meant for would fail)
  const odd = b.findings.findIndex((f: { fingerprint: string }) => !FINGERPRINT.test(f.fingerprint));
  return odd < 0 ? undefined : `findings[${odd}].fingerprint ${JSON.stringify(String(b.findings[odd].fingerprint).slice(0, 40))} is not a fingerprint (32 hex digits)`;
}

/** What fingerprint.ts writes (as the config's waivers require it, schemas/config.schema.json). */
const FINGERPRINT = /^[0-9a-f]{32}$/;

/**
 * Keeps the baseline's fingerprints only (not the parsed file: a fleet's baseline of 99,000 findings is ~19 MB
 * of JSON), and gives every finding it suppresses the same Suppression, whose text does not vary: a scan of
 * that fleet against its own baseline peaked at ~250 MiB with an object and a text made per finding.
 */
export class BaselineFilter implements FindingFilter {
  private readonly known: Set<string>;
  private readonly suppression: Suppression;
  /** The hosts the baseline was recorded for: a finding's fingerprint includes its host. */
  readonly hosts: ReadonlySet<string>;
  /** `host\0ruleId` of the recorded findings. */
  private readonly pairs: Set<string>;
  constructor(readonly file: string, baseline: BaselineFile) {
    this.known = new Set(baseline.findings.map((e) => e.fingerprint));
    this.pairs = new Set(baseline.findings.map((e) => `${e.host}\0${e.ruleId}`));
    this.hosts = new Set(baseline.hosts ?? baseline.findings.map((e) => e.host));
    this.suppression = { kind: 'baseline', reason: `already in baseline ${file} (recorded ${baseline.createdAt.slice(0, 10)})` };
  }

  /**
   * A notice for the scanned hosts the baseline has no record of, or undefined: fingerprints include the host
   * name, so a candidate named after its file (`candidate.ss` → `candidate`) matches nothing of a baseline
   * recorded as `golden`, and every finding would come back as new without a word.
   */
  unknownHosts(scanned: Iterable<string>): string | undefined {
    const missing = [...new Set(scanned)].filter((h) => !this.hosts.has(h));
    if (missing.length === 0) return undefined;
    const recorded = [...this.hosts];
    return `${this.file} has no record of host ${listed(missing)} (it was recorded for ${recorded.length > 0 ? listed(recorded) : 'no host'}), `
      + `so every finding of ${missing.length === 1 ? 'that host' : 'those hosts'} counts as new; fingerprints include the host name: `
      + 'give `socklint baseline` and `socklint scan` the same --host (or capture both with the same `# host:` line)';
  }
  mayApply(ruleId: string, host: string): boolean {
    return this.pairs.has(`${host}\0${ruleId}`);
  }
  /** It asks fingerprints only: the same whether or not a snapshot's field groups are known. */
  readsFields(): boolean {
    return false;
  }
  suppress(f: Finding): Suppression | undefined {
    if (this.known.has(f.fingerprint)) return this.suppression;
    const former = formerFingerprint(f);
    return former !== undefined && this.known.has(former) ? this.suppression : undefined;
  }
  report(_snapshots: readonly SnapshotReport[]): WaiverReport[] {
    return [];
  }
}
