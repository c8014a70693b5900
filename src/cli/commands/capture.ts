/** `socklint capture [-o FILE]`: a snapshot of this host (or a namespace) with `#` metadata, for later scans. */
import { ExitCode } from '../../diagnostics';
import { parseLabelArgs } from './shared';
import { warn } from '../stdout';

export interface CaptureArgs {
  output?: string;
  netns?: string;
  host?: string;
  labels: string[];
  proc: boolean;
}

export async function captureCommand(a: CaptureArgs): Promise<number> {
  const labels = parseLabelArgs(a.labels);
  const { captureSnapshot } = await import('../../snapshot/capture');
  const result = await captureSnapshot({ ...(a.output && a.output !== '-' ? { output: a.output } : { stream: process.stdout }), netns: a.netns, host: a.host, labels, useProc: a.proc });
  for (const n of result.notices) warn(n);
  return ExitCode.ok;
}
