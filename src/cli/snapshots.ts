/** The SNAPSHOT arguments of `scan`, `parse` and `baseline`, as files to read. */
import * as path from 'node:path';
import { deepGlob, expandSnapshotArgs, type Skipped } from '../engine/inputs';
import type { Diagnostic } from '../diagnostics';
import { listed } from '../report/text';
import { warn } from './stdout';

/**
 * The snapshot files of SNAPSHOT arguments; the files and subfolders a folder holds besides snapshots named once
 * on stderr. `problems`: where arguments that name no file go (else the first is thrown: exit 3).
 */
export function snapshotFiles(args: string[], problems?: Diagnostic[]): string[] {
  const skipped: Skipped = { files: [], folders: [] };
  const files = expandSnapshotArgs(args, skipped, problems);
  if (skipped.files.length > 0) {
    warn(`not read as snapshots (reports, configs or notes, by their extension): ${listed(skipped.files)}`);
  }
  if (skipped.folders.length > 0) {
    const glob = deepGlob(path.dirname(skipped.folders[0]));
    warn(`subfolders not searched (name them, or use a glob such as '${glob}'): ${listed(skipped.folders.map((f) => `${f}/`))}`);
  }
  return files;
}
