/** The SNAPSHOT arguments of `scan`, `parse` and `baseline`, as files to read. */
import { expandSnapshotArgs } from '../engine/inputs';
import type { Diagnostic } from '../diagnostics';
import { listed } from '../report/text';
import { warn } from './stdout';

/**
 * The snapshot files of SNAPSHOT arguments; the files a folder holds besides snapshots named once on stderr.
 * `problems`: where arguments that name no file go (else the first is thrown: exit 3).
 */
export function snapshotFiles(args: string[], problems?: Diagnostic[]): string[] {
  const skipped: string[] = [];
  const files = expandSnapshotArgs(args, skipped, problems);
  if (skipped.length > 0) {
    warn(`not read as snapshots (reports, configs or notes, by their extension): ${listed(skipped)}`);
  }
  return files;
}
