/** Where a snapshot "is", for reports that need a file: SARIF artifact URIs, JUnit/text locations. */
import * as path from 'node:path';
import { relativeInside } from '../relative-path';

/** Pseudo-path for a snapshot read from stdin (`-`): stable, so alerts keep matching across runs. */
export const STDIN_PSEUDO_PATH = 'stdin.ss';

/** GitHub code scanning rejects a SARIF file with more than this many runs (one run per host here). */
export const SARIF_MAX_RUNS_PER_FILE = 20;

/**
 * The file of part `n` (1: the first) of `--format sarif=FILE` when the hosts are more than SARIF_MAX_RUNS_PER_FILE:
 * FILE, then out.2.sarif, out.3.sarif, … beside it.
 */
export function sarifPartName(file: string, n: number): string {
  if (n === 1) return file;
  const ext = path.extname(file);
  return `${ext ? file.slice(0, -ext.length) : file}.${n}${ext}`;
}

/** `# key: value` capture metadata a live capture may carry: where the capture was saved (`socklint capture -o`). */
export const SAVED_SNAPSHOT_META_KEYS = ['saved', 'savedTo', 'snapshot'] as const;

/**
 * The path a report should cite for a snapshot file name: stdin → `stdin.ss`; `live:<host>` → the saved
 * snapshot path from the capture metadata, else `live/<host>.ss`; anything else as given.
 */
export function snapshotPath(file: string, meta?: Record<string, string>): string {
  if (file === '-') return STDIN_PSEUDO_PATH;
  if (file.startsWith('live:')) {
    for (const key of SAVED_SNAPSHOT_META_KEYS) {
      const saved = meta?.[key];
      if (saved) return saved;
    }
    const host = file.slice('live:'.length) || 'localhost';
    return `live/${host.replace(/[/\\]/g, '_')}.ss`;
  }
  return file;
}

/** A snapshot name for people: stdin as `<stdin>`, everything else as the user named it. */
export function displayFile(file: string): string {
  return file === '-' ? '<stdin>' : file;
}

/** Percent-encode one path segment for a URI (RFC 3986 pchar minus what encodeURIComponent leaves). */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface ArtifactUri {
  uri: string;
  /** Set when `uri` is relative to the working directory (SARIF `%SRCROOT%`). */
  relative: boolean;
}

/**
 * A URI for a snapshot file: relative to cwd with `/` separators and percent-encoded segments when the file
 * is inside cwd (what GitHub matches against the repository), an absolute `file://` URI otherwise.
 */
export function artifactUri(file: string, cwd: string, meta?: Record<string, string>): ArtifactUri {
  const shown = snapshotPath(file, meta);
  const relative = relativeInside(cwd, shown);
  if (relative !== undefined) return { uri: relative.split(path.sep).map(encodeSegment).join('/'), relative: true };
  return { uri: fileUri(path.resolve(cwd, shown)), relative: false };
}

/** `file:///abs/path` with percent-encoded segments (a trailing `/` kept for directories). */
export function fileUri(absolute: string, directory = false): string {
  const segments = absolute.split(path.sep).map(encodeSegment).join('/');
  const withRoot = segments.startsWith('/') ? segments : `/${segments}`;
  return `file://${withRoot}${directory && !withRoot.endsWith('/') ? '/' : ''}`;
}
