/** Host names given with --host (scan, baseline, capture), and the line breaks a capture's metadata line cannot hold. */
import { ExitCode, UserError } from './diagnostics';

/** What ends a line for the parser or for a reader: LF, CR, NEL and the Unicode line and paragraph separators. */
export const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/;

/**
 * Throws a usage error for a host name that is blank or holds a line break: it would name no host (a blank
 * `# host:` line falls back to the file's name), or not be read back from the capture's metadata as written.
 */
export function checkHostName(host: string | undefined): void {
  if (host !== undefined && (host.trim() === '' || LINE_BREAK.test(host))) {
    throw new UserError({ file: '--host', code: 'bad-host', message: `${JSON.stringify(host)}: a host name cannot be blank or hold a line break` }, ExitCode.usage);
  }
}
