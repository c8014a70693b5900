/**
 * Making snapshot-derived text safe for each output. The text format escapes (people must see that a process
 * name carried control bytes); XML and SARIF messages strip (there is nobody to mislead, and XML 1.0 cannot
 * carry most C0 bytes at all).
 */
import { escapeControl } from '../diagnostics';

/**
 * ANSI/VT escape sequences, removed whole: CSI (`ESC [` params final, or the 8-bit CSI 0x9b), OSC/DCS/SOS/PM/APC
 * strings up to BEL or ST (`ESC \`) — unterminated ones up to the end of the text — and two-byte `ESC x`.
 */
const ANSI_SEQUENCE =
  // eslint-disable-next-line no-control-regex
  /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[\u0020-\u002f]*[\u0030-\u007e]?/g;

// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_TAB_NL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f]/g;
/** Unicode bidirectional controls (Trojan Source): they reorder what a reader sees. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Lone UTF-16 surrogates: not encodable as UTF-8, not legal in XML. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A character stripControl may change (a C0, DEL or C1 control — which every escape sequence starts with — a
 * bidi control, a surrogate): text without one is returned as it is. Most text (every message of a report of
 * thousands of findings) has none, and one test is ~5× cheaper than the five replacements finding nothing.
 */
// eslint-disable-next-line no-control-regex
const MAY_CHANGE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;
/** The same for multiline text, which keeps its tabs and line feeds (a JUnit failure's lines all have one). */
// eslint-disable-next-line no-control-regex
const MAY_CHANGE_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;

/** Remove escape sequences whole and every other control character; keeps `\n` and `\t` when multiline. */
export function stripControl(text: string, multiline = false): string {
  if (!(multiline ? MAY_CHANGE_MULTILINE : MAY_CHANGE).test(text)) return text;
  const noAnsi = text.replace(ANSI_SEQUENCE, '');
  const noControl = multiline
    ? noAnsi.replace(/\r\n?/g, '\n').replace(CONTROL_EXCEPT_TAB_NL, '')
    : noAnsi.replace(/[\t\n\r]/g, ' ').replace(CONTROL_ALL, '');
  return noControl.replace(BIDI, '').replace(LONE_SURROGATE, '\ufffd');
}

/** Line and paragraph separators: a terminal or log viewer may break the line there. */
const LINE_SEPARATORS = /[\u2028\u2029]/g;

/** For terminals: every control character, bidi control and line separator made visible (`\x1b`, `\u202e`), nothing removed. */
export function escapeTerminal(text: string): string {
  return escapeControl(text)
    .replace(BIDI, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(LINE_SEPARATORS, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
    .replace(LONE_SURROGATE, '\ufffd');
}
