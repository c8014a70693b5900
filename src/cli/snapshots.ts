/** The SNAPSHOT arguments of `scan`, `parse` and `baseline`, as files to read. */
import { expandSnapshotArgs } from '../engine/inputs';

/** The snapshot files of SNAPSHOT arguments; the files a folder holds besides snapshots named once on stderr. */
export function snapshotFiles(args: string[]): string[] {
  const skipped: string[] = [];
  const files = expandSnapshotArgs(args, skipped);
  if (skipped.length > 0) {
    const shown = skipped.slice(0, SKIPPED_SHOWN).join(', ') + (skipped.length > SKIPPED_SHOWN ? ` and ${skipped.length - SKIPPED_SHOWN} more` : '');
    process.stderr.write(`socklint: not read as snapshots (reports, configs or notes, by their extension): ${shown}\n`);
  }
  return files;
}
const SKIPPED_SHOWN = 5;
