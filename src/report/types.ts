/** The formatter contract: pure functions of a ScanReport (no I/O, no exit codes; the CLI writes and exits). */
import type { ScanReport } from '../engine/types';

export interface RedactOptions {
  /**
   * Socket field paths to mask, relative to a SocketRecord: `peer.address`, `local.address`, `processes.name`,
   * `local.path` ... Arrays are walked (`processes.name` masks every process name).
   * Default when omitted or empty: `peer.address` and `peer.path`.
   */
  fields?: string[];
  /**
   * Secret mixed into the mask hash. Without it, a tag for an IPv4 address can be reversed by trying all
   * 2^32 addresses; with it, tags stay stable across runs only as long as the salt does.
   */
  salt?: string;
}

export interface FormatContext {
  /** Paths in reports (SARIF URIs) are made relative to this directory. */
  cwd: string;
  /** ANSI colours in the text format (the CLI decides: TTY and no NO_COLOR). */
  color: boolean;
  /** Mask socket fields in every output; fingerprints are kept as the engine computed them. */
  redact?: RedactOptions;
  /**
   * SARIF: the code-scanning category prefix; each host's run gets `automationDetails.id` = `<prefix>/<host>/`.
   * Default `socklint`. (upload-sarif's `category` input does not apply to runs that carry their own id.)
   */
  sarifCategory?: string;
  /** Clock for anything "as of now" (tests pin it); reports otherwise use report.startedAt. */
  now?: Date;
  /** How many days ahead the text report, SARIF and JUnit name waivers about to expire (config waiverNoticeDays; EXPIRY_NOTICE_DAYS). */
  waiverNoticeDays?: number;
}

export interface Formatter {
  /** The `--format` key. */
  name: string;
  /** One-line description for `--help`. */
  description: string;
  /** File name used when `--format NAME` is given without `=FILE` and the format is not meant for a terminal. */
  defaultFileName?: string;
  format(report: ScanReport, ctx: FormatContext): string;
  /** The same text in pieces, for formats whose reports get large: written as produced, never held whole. */
  chunks?(report: ScanReport, ctx: FormatContext): Iterable<string>;
}
