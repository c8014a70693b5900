/**
 * `socklint parse`: the parsed records. json = one document per run, ndjson = one socket per line; both are
 * written while parsing (nothing but the current record is held; a slow reader pauses the parse). Summary
 * and unparsed lines are kept in the json document (written after its sockets, a line at a time); ndjson reports
 * unparsed lines on stderr as they are found. (A file of junk has a line of it per line: 1M of them were held for
 * the end, and the json document's were copied and made into one text there — ~790 MB at 1M lines.)
 */
import { ExitCode, UserError } from '../../diagnostics';
import { snapshotFiles } from '../snapshots';
import { parseSnapshotFile } from '../../snapshot/source';
import { emptyCapture, noSocketsProblem, notOneSnapshot } from '../../snapshot/parser';
import type { SsSummary, UnparsedLine } from '../../snapshot/types';
import { BufferedStdout, printDiagnostics, warn } from '../stdout';
import { displayFile } from '../../report/paths';
import { CHECK_UNPARSED_EVERY, OutOfMemoryError, checkUnparsedMemory } from '../../engine/memory';

export async function parseCommand(args: string[], format: 'json' | 'ndjson', ssFlags?: string): Promise<number> {
  const inputs = snapshotFiles(args);
  const out = new BufferedStdout();
  let failed = false;
  if (format === 'json') out.write('{"snapshots":[');
  let firstSnapshot = true;
  for (const file of inputs) {
    const unparsed: UnparsedLine[] = [];
    let first: UnparsedLine | undefined;
    const summaries: SsSummary[] = [];
    let pending: Promise<void> | undefined;
    let count = 0;
    if (format === 'json') out.write(`${firstSnapshot ? '' : ','}\n{"file":${JSON.stringify(file)},"sockets":[`);
    try {
      const stats = await parseSnapshotFile(file, {
        socket(rec) {
          const text = JSON.stringify(rec);
          pending = out.write(format === 'json' ? `${count === 0 ? '\n' : ',\n'}${text}` : `${text}\n`) ?? pending;
          count++;
        },
        unparsed(u) {
          if (format === 'json') {
            if (unparsed.push(u) % CHECK_UNPARSED_EVERY === 0) checkUnparsedMemory(file, u.line, unparsed.length);
          } else warn(unparsedWarning(file, u));
          // (what a snapshot without any socket is said to be reads its first unparsed line)
          if (first === undefined) first = u;
        },
        summary(s) { summaries.push(s); },
        // a full stdout pipe (a slow reader) pauses the reading, so the output is never held in memory
        wait() {
          const p = pending;
          pending = undefined;
          return p;
        },
      }, { flags: ssFlags });
      if (pending) await pending;
      // a file parsed but not one snapshot (several runs or captures, netstat output) or without a socket: said
      // on stderr, and in its JSON entry as a file that could not be read is (README: `"error"`)
      const several = notOneSnapshot(stats);
      const problem = several ?? (stats.sockets === 0 && summaries.length === 0 && !emptyCapture(stats) ? { code: 'no-sockets', ...noSocketsProblem(stats, first) } : undefined);
      if (format === 'json') {
        out.write('],"unparsed":[');
        for (let i = 0; i < unparsed.length; i++) {
          const u = unparsed[i];
          const full = out.write(`${i === 0 ? '' : ','}${JSON.stringify({ line: u.line, text: u.text, reason: u.reason })}`);
          if (full) await full;
        }
        out.write(']');
        if (summaries.length > 0) out.write(`,"summary":${JSON.stringify(summaries[0])}`);
        if (Object.keys(stats.meta).length > 0) out.write(`,"meta":${JSON.stringify(stats.meta)}`);
        out.write(`,"stats":{"lines":${stats.lines},"sockets":${stats.sockets},"unparsed":${stats.unparsed}}`);
        out.write(problem ? `,"error":${JSON.stringify(problem.message)}}` : '}');
      }
      if (problem) {
        printDiagnostics([{ file, ...problem }]);
        failed = true;
      }
    } catch (e) {
      // (running out of memory ends the run, exit 2, as it ends a scan)
      if (!(e instanceof UserError) || e instanceof OutOfMemoryError) throw e;
      printDiagnostics(e.diagnostics);
      if (format === 'json') out.write(`],"error":${JSON.stringify(e.diagnostics[0]?.message ?? 'unreadable')}}`);
      failed = true;
    }
    firstSnapshot = false;
  }
  if (format === 'json') out.write(']}\n');
  await out.flush();
  return failed ? ExitCode.snapshot : ExitCode.ok;
}

/** What `parse --format ndjson` says on stderr of an unparsed line. */
function unparsedWarning(file: string, u: UnparsedLine): string {
  return `${displayFile(file)}:${u.line}: unparsed line: ${u.reason}`;
}
