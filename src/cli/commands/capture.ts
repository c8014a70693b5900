/** `socklint capture [-o FILE|DIR]`: a snapshot of this host (or a namespace) with `#` metadata, for later scans. */
import * as os from 'node:os';
import { ExitCode } from '../../diagnostics';
import { captureSnapshot, pathInFolder } from '../../snapshot/capture';
import { parseLabelArgs } from './shared';
import { warn, writeStdout } from '../stdout';

export interface CaptureArgs {
  output?: string;
  netns?: string;
  host?: string;
  labels: string[];
  proc: boolean;
}

export async function captureCommand(a: CaptureArgs): Promise<number> {
  const labels = parseLabelArgs(a.labels);
  const now = new Date();
  const host = a.host ?? os.hostname();
  // a folder gets a file of its own per capture, named after the host and time (the path is printed for scripts)
  const named = pathInFolder(a.output, host, now);
  const output = named ?? a.output;
  const result = await captureSnapshot({
    ...(output && output !== '-' ? { output } : { stream: process.stdout }), netns: a.netns, host, labels, useProc: a.proc, now,
    ...(named !== undefined ? { fresh: 'next' as const } : {}),
  });
  for (const n of result.notices) warn(n);
  if (named !== undefined) await writeStdout([`${result.path}\n`]);
  return ExitCode.ok;
}
