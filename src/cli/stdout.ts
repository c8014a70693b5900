/** Writing to stdout and stderr. */
import { formatDiagnostic, type Diagnostic } from '../diagnostics';
import { displayFile } from '../report/paths';
import { escapeTerminal } from '../report/sanitize';

/** Buffered writes to stdout that respect back-pressure, so printing a million records keeps memory flat. */
export class BufferedStdout {
  private parts: string[] = [];
  private size = 0;
  /** One shared wait for 'drain' (a listener per flush would pile up while the pipe stays full). */
  private drained: Promise<void> | undefined;
  constructor(private readonly limit = 1 << 16) {}

  /** Queue text; returns a promise only when the buffer was flushed into a full pipe. */
  write(text: string): Promise<void> | undefined {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= this.limit) return this.flush();
    return undefined;
  }

  flush(): Promise<void> | undefined {
    if (this.parts.length === 0) return undefined;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (process.stdout.write(chunk)) return this.drained;
    this.drained ??= new Promise((resolve) => process.stdout.once('drain', () => {
      this.drained = undefined;
      resolve();
    }));
    return this.drained;
  }
}

/** Write text given in pieces to stdout, waiting whenever the pipe is full. */
export async function writeStdout(pieces: Iterable<string>): Promise<void> {
  const out = new BufferedStdout();
  for (const piece of pieces) {
    const full = out.write(piece);
    if (full) await full;
  }
  await out.flush();
}

/**
 * One line on stderr after `socklint: `. Its text can carry file names, host names and values from snapshots:
 * control, bidi and line-separator characters are made visible, so no name can drive the terminal or forge a
 * line of its own.
 */
export function warn(text: string): void {
  process.stderr.write(`socklint: ${escapeTerminal(text)}\n`);
}

/**
 * Each diagnostic as one `socklint: file:line:column: message [code]` line on stderr; a snapshot read from stdin
 * is named `<stdin>`, as the text and JUnit reports name it.
 */
export function printDiagnostics(list: readonly Diagnostic[]): void {
  for (const d of list) warn(formatDiagnostic({ ...d, file: displayFile(d.file) }));
}
