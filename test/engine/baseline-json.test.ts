/**
 * `scan --baseline` reads the file's JSON with @streamparser/json (src/engine/baseline.ts): its tokenizer says
 * where a token starts as a byte offset, and of an error only its message; loadBaseline turns both into the
 * line and the column (in UTF-16 code units, as an editor and the former reader count them) of the character
 * that is wrong — or of the start of the text in quotes, number or `true` it is in — and says what was
 * expected in words. Each expected place here is worked out from the file's text as a JS string.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { baselineText, loadBaseline } from '../../src/engine/baseline';
import { refusal } from './baseline-refusal';
import { tempDir } from '../report/helpers';

const dir = tempDir('socklint-baseline-json-');
let n = 0;
function write(text: string): string {
  const file = path.join(dir, `j${n++}.json`);
  fs.writeFileSync(file, text);
  return file;
}

/** The line and column of `text`'s character `i` (a UTF-16 index). */
function place(text: string, i: number): { line: number; column: number } {
  const before = text.slice(0, i);
  return { line: before.split('\n').length, column: i - (before.lastIndexOf('\n') + 1) + 1 };
}

/** The refusal of `text` (as a file), and where it should be: at `marker`'s first character (`@` marks it, and is not written). */
function refused(marked: string): { d: ReturnType<typeof refusal>; want: { line: number; column: number } } {
  const i = marked.indexOf('@');
  const text = marked.slice(0, i) + marked.slice(i + 1);
  return { d: refusal(write(text)), want: place(text, i) };
}

function expectAt(marked: string, message: string): void {
  const { d, want } = refused(marked);
  expect({ message: d.message, line: d.line, column: d.column }).toEqual({ message, ...want });
  expect(d.code).toBe('bad-baseline');
  expect(d.hint).toBe('write it with `socklint baseline SNAPSHOT... -o FILE`');
}

const HEAD = '{"socklintBaseline": 1, "createdAt": "2026-12-01T00:00:00.000Z", ';
const FP = 'a'.repeat(32);
const ENTRY = `{"fingerprint": "${FP}", "ruleId": "r", "host": "h", "message": "m"}`;

describe('the column counts characters, not the bytes the tokenizer counts', () => {
  it('past characters of two, three and four bytes and escapes on the same line', () => {
    expectAt(`${HEAD}"hosts": ["é€😀\\"\\u00e9\\ud83d\\ude00\\/", "x"] @"findings": []}`, 'not JSON: expected \',\' or \'}\', found \'"\'');
    expectAt(`${HEAD}"hosts": ["\\ud800", "é"]\n, "tool": [${ENTRY}, "é€😀" @x], "findings": []}`, 'not JSON: expected \',\' or \']\', found \'x\'');
  });
  it('a byte-order mark is a column of the first line, as an editor shows it', () => {
    expectAt('\ufeff{"x": @]}', 'not JSON: unexpected \']\'');
    expectAt('\ufeff\n {"x": @]}', 'not JSON: unexpected \']\'');
  });
  it('on a line of several MB (a baseline written without indent), past the first piece read', () => {
    const findings = Array.from({ length: 20000 }, (_, i) => ({ fingerprint: i.toString(16).padStart(32, '0'), ruleId: 'r-é', host: 'h€', message: `m 😀 ${i}` }));
    const compact = JSON.stringify({ socklintBaseline: 1, tool: { name: 'socklint', version: '0' }, createdAt: '2026-12-01T00:00:00.000Z', findings });
    const cut = compact.lastIndexOf('"host"');
    expect(cut).toBeGreaterThan(1024 * 1024);
    expectAt(`${compact.slice(0, cut)}@7${compact.slice(cut + '"host"'.length)}`, 'not JSON: expected a key in quotes, found \'7\'');
  });
});

describe('what the tokenizer refuses is said where its token starts', () => {
  it('a text in quotes: not closed on its line, a control character, an escape JSON has not', () => {
    expectAt(`${HEAD}"hosts": ["a", @"b\n"], "findings": []}`, 'not JSON: a text in quotes is not closed on its line');
    expectAt(`${HEAD}"hosts": ["a", @"b\tc"], "findings": []}`, 'not JSON: a text in quotes holds a control character');
    expectAt(`${HEAD}"hosts": [@"b\\x"], "findings": []}`, 'not JSON: a text in quotes holds a \\ that is no JSON escape');
    expectAt(`${HEAD}"hosts": [@"\\u12G4"], "findings": []}`, 'not JSON: a text in quotes holds a \\ that is no JSON escape');
    expectAt(`{@"ke\u0001y": 1}`, 'not JSON: a text in quotes holds a control character');
  });
  it('a number or a true, false or null cut short', () => {
    expectAt('{"socklintBaseline": @1.}', 'not JSON: "1." is not a number');
    expectAt('{"socklintBaseline": @-x}', 'not JSON: "-" is not a number');
    expectAt('{"socklintBaseline": @2e+}', 'not JSON: "2e+" is not a number');
    expectAt('{"socklintBaseline": @trux}', 'not JSON: unexpected \'t\'');
    expectAt('[1, @nul]', 'not JSON: unexpected \'n\'');
  });
  it('a text where a comma was due, after a text holding \\" and }, a number, a true', () => {
    expectAt('{"note": "a\\"b}\\\\" @"c\n', 'not JSON: expected \',\' or \'}\', found \'"\'');
    expectAt('{"a": 12.5e3   @"b', 'not JSON: expected \',\' or \'}\', found \'"\'');
    expectAt('[true\n\t@"x\\q"]', 'not JSON: expected \',\' or \']\', found \'"\'');
  });
  it('a character no token starts with, in words', () => {
    expectAt('{"a": @é}', 'not JSON: unexpected \'é\'');
    expectAt('{"a": @😀}', 'not JSON: unexpected \'😀\'');
    expectAt('{"a": 1, @\u0001}', 'not JSON: expected a key in quotes, found character U+0001');
    expectAt('{"a" @= 1}', 'not JSON: expected \':\' after the key, found \'=\'');
    expectAt('@\uf000', 'not JSON: unexpected \'\uf000\''); // (its first byte is a byte-order mark's)
  });
  it('what follows the value', () => {
    expectAt('{} @{}', 'not JSON: unexpected \'{\' after the baseline\'s closing \'}\'');
    expectAt('"x"\n  @y', 'not JSON: unexpected \'y\' after the value');
    expectAt('[1, 2]\n\n@]', 'not JSON: unexpected \']\' after the value');
  });
  it('nesting past 64, at the bracket that goes past', () => {
    expectAt(`{"x": ${'['.repeat(63)}@[${']'.repeat(64)}}`, 'not JSON: arrays and objects nested more than 64 deep');
  });
});

describe('a file cut short is said at its end, or where the token it ends in starts', () => {
  const whole = [...baselineText({ socklintBaseline: 1, tool: { name: 'socklint', version: '0' }, createdAt: '2026-12-01T00:00:00.000Z', hosts: ['h'], findings: [
    { fingerprint: FP, ruleId: 'r', host: 'h', message: 'port 22 is "open"' },
    { fingerprint: 'b'.repeat(32), ruleId: 'r', host: 'h', message: 'm' },
  ] })].join('');
  const cutAfter = (s: string) => whole.slice(0, whole.indexOf(s) + s.length);
  const atEnd = (text: string, message: string) => expectAt(`${text}@`, message);

  it.each<[string, string]>([
    ['', 'not JSON: the file ends where a value should be'],
    [' \n\t\r\n  ', 'not JSON: the file ends where a value should be'],
    ['\ufeff', 'not JSON: the file ends where a value should be'],
  ])('%j', (text, message) => atEnd(text, message));

  it('between tokens: what was due', () => {
    atEnd(cutAfter('"findings": ['), 'not JSON: the file ends where a value should be');
    atEnd(cutAfter('"hosts": [\n    "h"'), 'not JSON: expected \',\' or \']\', found end of the file');
    atEnd(cutAfter('"ruleId": "r",\n'), 'not JSON: expected a key in quotes, found end of the file');
    atEnd(cutAfter('"ruleId"'), 'not JSON: expected \':\' after the key, found end of the file');
    atEnd(cutAfter('"m"\n    }'), 'not JSON: expected \',\' or \']\', found end of the file');
    atEnd(whole.trimEnd().slice(0, -1), 'not JSON: expected \',\' or \'}\', found end of the file');
  });
  it('in a token: where it starts', () => {
    const i = whole.indexOf('"port 22');
    expectAt(`${whole.slice(0, i)}@${whole.slice(i, i + 12)}`, 'not JSON: a text in quotes is not closed');
    expectAt(`${whole.slice(0, i)}@"port 22 is \\`, 'not JSON: a text in quotes is not closed');
    expectAt(`${cutAfter('"socklintBaseline": ').trimEnd()} @-`, 'not JSON: "-" is not a number');
    expectAt('{"a": @fals', 'not JSON: unexpected \'f\'');
  });
});

describe('what is JSON but not a baseline is said where its value or entry starts', () => {
  it.each<[string, string]>([
    [`{"socklintBaseline": @"1", "createdAt": "2026-12-01T00:00:00.000Z", "findings": []}`, '"socklintBaseline" is "1", expected 1'],
    [`{"socklintBaseline": 1,\n "createdAt": @{"at": 5}, "findings": []}`, '"createdAt" is not a date and time'],
    [`${HEAD}\n"hosts":\n  @["a", 1], "findings": []}`, '"hosts" is not a list of host names'],
    [`${HEAD}"findings": @{"0": ${ENTRY}}}`, '"findings" is not a list'],
    [`${HEAD}"findings": @"none"}`, '"findings" is not a list'],
    [`${HEAD}"findings": [${ENTRY},\n  @7]}`, 'findings[1] needs the texts "fingerprint", "ruleId", "host" and "message"'],
    [`${HEAD}"findings": [${ENTRY},\n  @[]]}`, 'findings[1] needs the texts "fingerprint", "ruleId", "host" and "message"'],
    [`${HEAD}"findings": [\n  @{"fingerprint": "${FP.toUpperCase()}", "ruleId": "r", "host": "h", "message": "m"}]}`, `findings[0].fingerprint "${FP.toUpperCase()}" is not a fingerprint (32 hex digits)`],
    [`${HEAD}"findings": [], "hosts": [], "createdAt": @"2026-12-02T00:00:00.000Z"}`, '"createdAt" is given twice'],
    ['\n\n  @[1, {"createdAt": "2026-12-01T00:00:00.000Z"}]', 'not a JSON object'],
  ])('%s', (marked, message) => expectAt(marked, `not a socklint baseline (version 1): ${message}`));

  it('what is missing, at the object that lacks it (a typo such as "finding" gave no place)', () => {
    for (const [text, message] of [
      ['{"createdAt": "2026-12-01T00:00:00.000Z", "findings": []}', '"socklintBaseline" is missing, expected 1'],
      ['{"socklintBaseline": 1, "findings": []}', '"createdAt" is missing (the date and time it was made)'],
      ['\n  {"socklintBaseline": 1, "createdAt": "2026-12-01T00:00:00.000Z", "tool": {"findings": []}}', '"findings" is missing (the list of findings it accepts)'],
    ]) {
      const d = refusal(write(text));
      expect(d).toMatchObject({ code: 'bad-baseline', message: `not a socklint baseline (version 1): ${message}`, line: text.startsWith('\n') ? 2 : 1 });
    }
  });

  it('JSON that is wrong is said before what the value it is in is not', () => {
    expectAt(`${HEAD}"findings": {"a": 1 @]}`, 'not JSON: expected \',\' or \'}\', found \']\'');
  });
});

it('what other keys hold, of any size and shape, is read and let go', () => {
  const tool = { name: 'socklint', nested: Array.from({ length: 2000 }, (_, i) => ({ i, list: [i, -i / 3, true, null, `é${i}`] })) };
  const b = loadBaseline(write(JSON.stringify({ extra: tool, socklintBaseline: 1, createdAt: '2026-12-01T00:00:00.000Z', findings: [JSON.parse(ENTRY)], tool, __proto__x: 1 })));
  expect(b).toMatchObject({ socklintBaseline: 1, createdAt: '2026-12-01T00:00:00.000Z' });
  expect(b.findings.has(FP)).toBe(true);
  expect(b.findings.length).toBe(1);
});

it('a baseline read from a pipe is refused at the same place as from a file', async () => {
  const marked = `${HEAD}"hosts": ["é€😀"], "findings": [${ENTRY},\n  ${ENTRY.replace('"m"', '@"m\\x"')}]}`;
  const i = marked.indexOf('@');
  const text = marked.slice(0, i) + marked.slice(i + 1);
  const fifo = path.join(dir, 'b.fifo');
  execFileSync('mkfifo', [fifo]);
  const source = write(text);
  const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', source, fifo], { stdio: 'ignore' });
  const done = new Promise((resolve) => writer.on('exit', resolve));
  const d = refusal(fifo);
  await done;
  expect(d).toMatchObject({ code: 'bad-baseline', message: 'not JSON: a text in quotes holds a \\ that is no JSON escape', ...place(text, i) });
  expect(refusal(source)).toEqual({ ...d, file: source });
});

it('a baseline written without indent, of 400k entries (~75 MB on one line), is read in a 48 MiB old generation', () => {
  // in a process of its own, from the built CLI's modules (`npm test` builds first)
  const file = path.join(dir, 'compact.json');
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, `${HEAD.trimEnd()}"findings":[`);
  for (let i = 0; i < 400000; i += 1000) {
    const entries = Array.from({ length: 1000 }, (_, k) => JSON.stringify({ fingerprint: (i + k).toString(16).padStart(32, 'f'), ruleId: 'unexpected-listener', host: 'fleet-host', message: `tcp port ${i + k} is listening on 10.0.0.1:${i + k} (app[1000]) and is not on the allowlist` }));
    fs.writeSync(fd, `${i > 0 ? ',' : ''}${entries.join(',')}`);
  }
  fs.writeSync(fd, ']}');
  fs.closeSync(fd);
  expect(fs.statSync(file).size).toBeGreaterThan(60 * 1024 * 1024);
  const script = `const { loadBaseline } = require(${JSON.stringify(path.resolve(__dirname, '../../dist/engine/baseline'))});
    const b = loadBaseline(process.argv[1]);
    process.stdout.write(JSON.stringify({ n: b.findings.length, has: b.findings.has('${(399999).toString(16).padStart(32, 'f')}') }));`;
  const out = execFileSync(process.execPath, ['--max-old-space-size=48', '-e', script, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(JSON.parse(out)).toEqual({ n: 400000, has: true });
}, 120000);
