/** `socklint capture [-o FILE|DIR]`: a snapshot of this host (or a namespace) with `#` metadata, for later scans. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExitCode } from '../../diagnostics';
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
  const { captureSnapshot } = await import('../../snapshot/capture');
  const now = new Date();
  const host = a.host ?? os.hostname();
  // a folder gets a file of its own per capture, named after the host and time (the path is printed for scripts)
  const folder = a.output !== undefined && a.output !== '-' && isFolder(a.output);
  const output = folder ? snapshotPath(a.output!, host, now) : a.output;
  const result = await captureSnapshot({
    ...(output && output !== '-' ? { output } : { stream: process.stdout }), netns: a.netns, host, labels, useProc: a.proc, now,
  });
  for (const n of result.notices) warn(n);
  if (folder) await writeStdout([`${output}\n`]);
  return ExitCode.ok;
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false; // (a new file, or a path the capture reports)
  }
}

/**
 * `DIR/HOST-YYYYMMDDTHHMMSSZ.ss` (UTC; the capture's `# time:` is the same moment), the host's name reduced to
 * characters a file name keeps everywhere; `-2`, `-3`… before `.ss` when a capture of the same second is there.
 */
export function snapshotPath(dir: string, host: string, when: Date): string {
  const name = host.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.]+/, '_') || 'host';
  const stamp = when.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  for (let n = 1; ; n++) {
    const p = path.join(dir, `${name}-${stamp}${n === 1 ? '' : `-${n}`}.ss`);
    if (!fs.existsSync(p)) return p;
  }
}
