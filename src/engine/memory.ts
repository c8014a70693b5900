/**
 * The memory a scan of many snapshots keeps. Sockets are dropped as they are evaluated, but findings are kept
 * for the reports (a few KB each, with their sockets), so a fleet large enough fills the heap Node.js may use —
 * and V8 then aborts the process with a native stack trace instead of a message. The scan checks after each
 * snapshot and stops with a one-line error while the reports could still be written.
 */
import * as v8 from 'node:v8';
import { ExitCode, UserError } from '../diagnostics';

/**
 * Share of the heap limit the kept findings may fill by default: the JSON report is written finding by
 * finding and SARIF one file (20 hosts) at a time, so the reports need a fraction more on top of them.
 */
export const FINDINGS_HEAP_SHARE = 0.5;
/** The same when a JUnit report is written: junit-report-builder holds its whole XML document (~ the findings again). */
export const FINDINGS_HEAP_SHARE_JUNIT = 0.3;

/**
 * Throws a usage error naming `last` (the snapshot just scanned) when the heap holds more than `share` of its
 * limit after `snapshots` snapshots with `findings` findings kept.
 */
export function checkFindingsMemory(last: string, snapshots: number, findings: number, share = FINDINGS_HEAP_SHARE): void {
  const { used_heap_size: used, heap_size_limit: limit } = v8.getHeapStatistics();
  if (used <= share * limit) return;
  const mib = (n: number) => Math.round(n / 1048576);
  throw new UserError({
    file: last,
    code: 'out-of-memory',
    message: `after ${snapshots} snapshots, their ${findings} findings fill ${mib(used)} MiB of the ${mib(limit)} MiB Node.js may use: the reports would not fit`,
    hint: 'lower --max-findings, scan fewer snapshots per run, or give Node.js more memory (NODE_OPTIONS=--max-old-space-size=MiB)',
  }, ExitCode.usage);
}
