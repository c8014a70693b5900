#!/usr/bin/env node
/**
 * socklint's command line. The only place that prints diagnostics and picks exit codes
 * (README "Exit codes"). Command modules are loaded lazily to keep start-up fast.
 */
import { versionOnly } from '../use-compile-cache'; // first: what follows is compiled with the compile cache
import { ExitCode, UserError, didYouMean, type Diagnostic } from '../diagnostics';
import { socklintVersion } from '../version';
import { printDiagnostics, warn } from './stdout';
import { cleanUpOnSignals } from '../cleanup';

const FAIL_ON = ['error', 'warning', 'note', 'none'] as const;

/**
 * Arguments yargs must take as they are travel through it behind this mark and lose it here: a bare `-` (which
 * yargs drops) and everything after `--` (which yargs keeps from the command's positionals: `scan -- -x.ss`
 * scanned the live host).
 */
const LITERAL = '\u0000';
const DASH = `${LITERAL}-`;

function literal(x: string): string {
  return x.startsWith(LITERAL) ? x.slice(LITERAL.length) : x;
}

function collect(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).map((x) => literal(String(x)));
}

/** `text` read as a JSON string, or undefined when it is none. */
function jsonString(text: string): string | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function undash(v: string | undefined): string | undefined {
  return v === undefined ? undefined : literal(v);
}

/**
 * `--color=WHEN` as ls, grep and git spell it (always, never, auto) for the boolean `--color`: yargs read every
 * value but `true` as false, so `--color=always` turned colours off.
 */
const COLOR_WHEN: Record<string, string | undefined> = { always: '--color', never: '--no-color', auto: undefined };

/** argv as yargs gets it: `-` and what follows `--` marked LITERAL, the `--` dropped; `--color=WHEN` as a flag. */
function marked(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  const before: string[] = [];
  for (const a of end < 0 ? argv : argv.slice(0, end)) {
    const when = /^--color=(.*)$/.exec(a)?.[1];
    if (when !== undefined && when in COLOR_WHEN) {
      const flag = COLOR_WHEN[when];
      if (flag !== undefined) before.push(flag);
    } else before.push(a === '-' ? DASH : a);
  }
  return end < 0 ? before : [...before, ...argv.slice(end + 1).map((a) => LITERAL + a)];
}

/**
 * A yes/no option given a value (`--proc=yes`, `--color=maybe`) takes `true` or `false` only: yargs read any
 * other value as false, silently. `booleans`: the command's yes/no options; `argv`: the words before `--`.
 */
function requireBooleanValues(argv: readonly string[], booleans: readonly string[]): void {
  const end = argv.indexOf('--');
  for (const a of end < 0 ? argv : argv.slice(0, end)) {
    const m = /^--(?:no-)?([a-z][a-z-]*)=(.*)$/.exec(a);
    if (m === null || !booleans.includes(m[1]) || m[2] === 'true' || m[2] === 'false') continue;
    const color = m[1] === 'color' && !a.startsWith('--no-');
    if (color && m[2] in COLOR_WHEN) continue;
    throw new UserError({
      file: '', code: 'usage', message: `--${m[1]} is on or off: '${m[2]}' is neither`,
      hint: `write --${m[1]} or --no-${m[1]}, or --${m[1]}=${color ? 'always|never|auto' : 'true|false'}`,
    }, ExitCode.usage);
  }
}

/** Options that take a value (all but `--redact`, whose bare form means "peer addresses"). */
const VALUE_OPTIONS = ['rules', 'config', 'format', 'fail-on', 'baseline', 'host', 'label', 'sarif-category', 'max-findings', 'save-snapshot', 'netns', 'jobs', 'output', 'ss-flags'];

/**
 * An option given without its value (`--config` last, `--host=`, `--config $UNSET` in a script) is an error,
 * not the option left out: a CI job whose config path is empty must not scan without its waivers.
 */
function requireValues(argv: Record<string, unknown>): void {
  for (const key of VALUE_OPTIONS) {
    const v = argv[key];
    if (v === '' || (Array.isArray(v) && (v.length === 0 || v.includes('')))) {
      throw new UserError({ file: '', code: 'usage', message: `--${key} needs a value`, hint: `e.g. --${key}=VALUE; see \`socklint COMMAND --help\`` }, ExitCode.usage);
    }
  }
}

/**
 * An option that takes one value given twice (`-c a.yaml -c b.yaml`, `--host a --host b`) is an error: yargs
 * would hand the command both values as a list, which no such option reads (the scan ended in an internal
 * error), and keeping either one would silently drop the other (a config's waivers, a baseline). `known`: the
 * options of the command being parsed; those declared as arrays (`--rules`, `--format`, `--label`, `--redact`)
 * take one value each time they are given.
 */
function requireOneValue(argv: Record<string, unknown>, known: { key: Record<string, unknown>; array: string[] }, words: readonly string[]): void {
  for (const key of Object.keys(known.key)) {
    const v = argv[key];
    if (!/^[a-z][a-z-]+$/.test(key) || known.array.includes(key) || !Array.isArray(v)) continue;
    throw new UserError({
      file: '', code: 'usage', message: `--${key} is given ${v.length} times: it takes one value`,
      hint: `give it once; \`${['socklint', ...words, '--help'].join(' ')}\` marks the options that may be repeated [array]`,
    }, ExitCode.usage);
  }
}

/** `--ss-flags` of scan, parse and baseline. */
const SS_FLAGS_OPTION = {
  type: 'string', requiresArg: true,
  describe: 'the ss options the snapshots were captured with, for those without a "# flags:" line (e.g. --ss-flags=-tnp): tells the table of rows without a Netid column',
} as const;

/**
 * The first option in `argv` that is none of `known` (yargs' option keys and aliases of the command), named as
 * yargs names it (no dashes), with the word after it when that is no option (what yargs took for its value).
 * `--no-X` is X's negation.
 */
export function unknownOption(argv: readonly string[], known: Record<string, unknown>): { name: string; value?: string } | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return undefined;
    const m = /^--?([^=]+)(=.*)?$/.exec(a);
    if (!m || a === '-') continue;
    const names = a.startsWith('--') ? [m[1]] : [...m[1]]; // `-xy` is -x -y
    for (const n of names) {
      if (Object.hasOwn(known, n) || (n.startsWith('no-') && Object.hasOwn(known, n.slice(3)))) continue;
      const next = argv[i + 1];
      const value = m[2] === undefined && next !== undefined && !next.startsWith('-') ? next : undefined;
      return { name: n, ...(value === undefined ? {} : { value }) };
    }
  }
  return undefined;
}

const COMMANDS = ['scan', 'parse', 'capture', 'baseline', 'rules'];
const RULES_COMMANDS = ['list', 'validate', 'test', 'docs'];
const NAME_A_COMMAND = 'name a command: scan, parse, capture, baseline or rules';
const NAME_A_RULES_COMMAND = 'name a rules command: list, validate, test or docs';

/** The command words `argv` starts with (`rules validate`), as far as they name commands. */
function commandWords(argv: readonly string[]): string[] {
  if (!COMMANDS.includes(argv[0])) return [];
  return argv[0] === 'rules' && RULES_COMMANDS.includes(argv[1]) ? argv.slice(0, 2) : argv.slice(0, 1);
}

/** What a command's positional arguments are, for "needs at least one". */
const POSITIONALS: Record<string, { what: string; example: string }> = {
  parse: { what: 'a snapshot: a file, folder or glob, or - for stdin', example: 'socklint parse web-01.ss' },
  baseline: { what: 'a snapshot: a file, folder or glob, or - for stdin', example: 'socklint baseline web-01.ss -o baseline.json' },
  'rules validate': { what: 'a rule file or folder', example: 'socklint rules validate my-rules/' },
};

/** `--OPTION -VALUE` (before any `--`) of an option that takes a value: the option and the value meant for it. */
function dashedValue(argv: readonly string[]): { option: string; value: string } | undefined {
  const end = argv.indexOf('--');
  const words = end < 0 ? argv : argv.slice(0, end);
  for (let i = 0; i + 1 < words.length; i++) {
    const option = /^--([a-z-]+)$/.exec(words[i])?.[1];
    if (option !== undefined && VALUE_OPTIONS.includes(option) && /^-[^-]/.test(words[i + 1])) return { option, value: words[i + 1] };
  }
  return undefined;
}

/**
 * A yargs usage error as one diagnostic line that says what to write instead (yargs' own text, `Invalid values:`
 * over two lines, followed by a usage line, said what was wrong only). `known`: the options of the command
 * being parsed.
 */
export function usageDiagnostic(msg: string, argv: readonly string[], known: { key: Record<string, unknown>; alias: Record<string, string[]> }): Diagnostic {
  const words = commandWords(argv);
  const help = `\`${['socklint', ...words, '--help'].join(' ')}\``;
  const usage = (message: string, hint: string): Diagnostic => ({ file: '', code: 'usage', message, hint });
  const text = msg.replace(/:?\s*\n\s*/g, ': ');
  if (text === NAME_A_COMMAND) return usage(text, 'e.g. socklint scan web-01.ss; `socklint --help` says what each does');
  if (text === NAME_A_RULES_COMMAND) return usage(text, 'e.g. socklint rules list; `socklint rules --help` says what each does');
  // `socklint sacn x`, `socklint rules lst`
  const recommended = /^Did you mean (\S+)\?$/.exec(text);
  if (recommended) {
    const typed = argv.slice(words.length).find((a) => !a.startsWith('-')) ?? '';
    return usage(`unknown command "${typed}"`, `did you mean socklint ${[...words, recommended[1]].join(' ')}?`);
  }
  // `--ss-flags -tnp`: the value starts with a dash, so yargs takes it for options of its own (`-t`, `-n`…, which it
  // then says are unknown, or which take the snapshot after them as their value)
  const dashed = dashedValue(argv);
  const valueless = /^Not enough arguments following: (\S+)/.exec(text)?.[1] ?? dashed?.option;
  if (valueless) {
    const example = valueless === 'ss-flags' ? (dashed?.value ?? '-tnp') : 'VALUE';
    return usage(dashed ? `--${valueless} took no value: '${dashed.value}' starts with a dash, so it was read as options` : text,
      `give --${valueless} its value after "=" when it starts with a dash: --${valueless}=${example}`);
  }
  // `baseline x.ss` without -o: yargs names the option by its long name only
  const missing = /^Missing required argument: (\S+)$/.exec(text);
  if (missing) {
    const aliases = (known.alias[missing[1]] ?? []).filter((x) => x.length === 1);
    const names = [...aliases.map((x) => `-${x}`), `--${missing[1]}`].join('/');
    return usage(`missing required option ${names}`, `${help} says what it takes`);
  }
  // `--fail-on warn`: yargs writes `Invalid values:` and a line per option
  const invalid = /Argument: (\S+), Given: (.*), Choices: (.*)/.exec(msg);
  if (invalid) {
    const unquote = (v: string): string => v.trim().replace(/^"(.*)"$/, '$1');
    const choices = invalid[3].split(', ').map(unquote);
    // (yargs writes the value as JSON; `--fail-on -- x.ss`: the one it took is marked LITERAL)
    const given = literal(jsonString(invalid[2].trim()) ?? unquote(invalid[2]));
    const near = (given === '' ? undefined : choices.find((c) => c.startsWith(given))) ?? didYouMean(given, choices);
    return {
      file: `--${invalid[1]}`, code: 'bad-choice', message: `"${given}" is not one of ${choices.join(', ')}`,
      hint: near ? `did you mean --${invalid[1]}=${near}?` : `write --${invalid[1]}=${choices[0]}, or another of them`,
    };
  }
  const longOptions = Object.keys(known.key).filter((k) => /^[a-z][a-z-]+$/.test(k)); // not yargs' camelCase aliases
  const optionHint = (name: string): string => {
    const near = didYouMean(name, longOptions);
    return `${near ? `did you mean --${near}? ` : ''}${help} lists its options`;
  };
  // `rules validate --strict x.yaml`: an unknown option took the path after it as its value, and yargs says
  // only that the path is missing
  const unknown = text.startsWith('Not enough non-option arguments') ? unknownOption(argv, known.key) : undefined;
  if (unknown) {
    const took = unknown.value === undefined ? '' : ` (it took '${unknown.value}' as its value)`;
    return usage(`unknown option --${unknown.name}${took}`, optionHint(unknown.name));
  }
  if (text.startsWith('Not enough non-option arguments')) {
    const positional = POSITIONALS[words.join(' ')];
    if (positional) return usage(`${words.join(' ')} needs ${positional.what}`, `e.g. ${positional.example}`);
  }
  // yargs names an unknown option without its dashes, and an extra word the same way
  const unknownArgs = /^Unknown arguments?: (.+)$/.exec(text);
  if (unknownArgs) {
    const names = unknownArgs[1].split(', ');
    const long = (n: string): boolean => argv.some((a) => a === `--${n}` || a.startsWith(`--${n}=`));
    const short = (n: string): boolean => n.length === 1 && argv.some((a) => /^-[^-]/.test(a) && a.includes(n));
    const options = names.filter((n) => long(n) || short(n));
    if (options.length > 0) {
      const shown = options.map((n) => (long(n) ? `--${n}` : `-${n}`));
      return usage(`unknown option${shown.length > 1 ? 's' : ''} ${shown.join(', ')}`, optionHint(options[0]));
    }
    if (words.length === 1 && words[0] === 'rules') return usage(`unknown rules command "${names[0]}"`, 'name one of list, validate, test or docs');
    return usage(`unexpected argument${names.length > 1 ? 's' : ''} ${names.map((n) => `"${n}"`).join(', ')}`, `${help} says what it takes`);
  }
  return usage(text, `${help} says what it takes`);
}

export async function main(argv: string[]): Promise<number> {
  const { default: yargs } = await import('yargs');
  let exitCode: number = ExitCode.ok;
  const setExit = (code: number): void => { exitCode = code; };
  // `socklint -- scan x.ss` (what `npx socklint -- …` passes on): a leading `--` ends no options, and yargs
  // would take everything after it for positionals of no command, run nothing and exit 0
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  // the options yargs knows in the command being parsed (its typings leave getOptions out)
  const options = () => (parser as unknown as { getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]>; array: string[]; boolean: string[] } }).getOptions();
  const parser = yargs(marked(args))
    .scriptName('socklint')
    // an option that may be repeated takes one value each time: `--rules my-rules/ web-01.ss` scans web-01.ss
    // with those rules (yargs' default would take web-01.ss as a second rule path and scan this host instead)
    .parserConfiguration({ 'greedy-arrays': false })
    .usage('$0 <command> [options]\n\nAudit Linux sockets (ss snapshots or the live host) against YAML rules.')
    .version(socklintVersion())
    .strict()
    .demandCommand(1, NAME_A_COMMAND)
    .recommendCommands()
    .middleware((a) => {
      requireValues(a);
      requireOneValue(a, options(), commandWords(args));
      requireBooleanValues(args, options().boolean);
    }, true)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err instanceof UserError) throw err;
      if (err && err.name !== 'YError') throw err;
      throw new UserError(usageDiagnostic(msg ?? err?.message ?? 'bad arguments', args, options()), ExitCode.usage);
    })
    .command(
      'scan [snapshot..]',
      'scan snapshots (files, folders, globs, - for stdin), or this host live when none is given',
      (y) => y
        .positional('snapshot', { type: 'string', array: true, describe: 'ss output files, folders, globs or - (stdin)' })
        .option('rules', { type: 'string', array: true, describe: 'extra rule file or folder (repeatable)' })
        .option('default-rules', { type: 'boolean', default: true, describe: 'include the built-in pack (--no-default-rules to leave it out)' })
        .option('config', { alias: 'c', type: 'string', describe: 'socklint.yaml: packs, overrides, waivers' })
        .option('format', { alias: 'f', type: 'string', array: true, describe: 'KIND[=PATH][,KIND[=PATH]…]: text, json, sarif, junit, prometheus (repeatable, or comma-separated; default text to stdout)' })
        // (no yargs default: a bare `--fail-on` would take it, where requireValues refuses the empty value)
        .option('fail-on', { type: 'string', choices: FAIL_ON, describe: 'lowest unsuppressed severity that makes the exit code 1 [default: error]' })
        .option('fail-on-not-evaluated', { type: 'boolean', default: false, describe: 'exit 1 also when a rule could not be evaluated (the snapshots lack the ss flags it needs, e.g. -p run without root): a gate on complete captures' })
        .option('baseline', { type: 'string', describe: 'baseline.json from `socklint baseline`: only new findings fail' })
        .option('host', { type: 'string', describe: 'host name for the snapshots, all of that one host (default: capture metadata, else the file name)' })
        .option('label', { type: 'string', array: true, describe: 'KEY=VALUE label for host overrides (repeatable)' })
        .option('ss-flags', SS_FLAGS_OPTION)
        .option('redact', { type: 'string', array: true, describe: 'mask peer addresses (bare --redact) or the named fields in every output; set SOCKLINT_REDACT_SALT to a secret so that masked IPv4 addresses cannot be recovered by trying them all' })
        .option('sarif-category', { type: 'string', describe: 'SARIF automationDetails.id prefix (default socklint): runs are <category>/<host>/' })
        .option('max-findings', { type: 'string', describe: 'findings listed per rule and snapshot (default 1000); the rest are counted' })
        .option('save-snapshot', { type: 'string', describe: 'live scan: keep the raw capture here (the file SARIF locations point at), or in this folder (one that exists, or DIR/) as HOST-YYYYMMDDTHHMMSSZ.ss' })
        .option('netns', { type: 'string', describe: 'live scan: a network namespace (ip netns name, pid:PID or /proc/PID/ns/net)' })
        .option('proc', { type: 'boolean', default: false, describe: 'live scan: read /proc/net instead of running ss' })
        .option('color', { type: 'boolean', describe: 'force colours on/off in the text report (default: on a TTY unless NO_COLOR; also --color=always|never|auto)' })
        .option('jobs', { alias: 'j', type: 'string', describe: 'threads for several snapshots (this one and N-1 workers) or one large one (two) (default: the cores this process may use, within a cgroup CPU quota; used from 64 MiB of input, SOCKLINT_PARALLEL_MIN_BYTES)' }),
      async (a) => {
        const snapshots = collect(a.snapshot) ?? [];
        const rules = collect(a.rules) ?? [];
        const labels = collect(a.label) ?? [];
        const { parseLabelArgs, ssFlagsArg, wholeNumberArg } = await import('./args');
        const jobs = wholeNumberArg('--jobs', a.jobs);
        const ssFlags = ssFlagsArg(a['ss-flags']);
        const maxFindings = wholeNumberArg('--max-findings', a['max-findings']);
        // One large file is split across two threads: its worker boots and builds its rules while this thread
        // loads the scan (engine/threads.ts). The scan takes it, or it is dropped here.
        const threads = await import('../engine/threads');
        threads.parallelMinBytes(); // a value that is no size is an error, whether or not this scan uses threads
        // pipes among the rules, config and baseline are read first: the early worker gets their text
        await (await import('./preload')).preloadUserFiles({ config: a.config, rules, baseline: a.baseline });
        if (snapshots.length === 1) {
          let parsed: Record<string, string> | undefined;
          try {
            parsed = parseLabelArgs(labels);
          } catch {
            parsed = undefined; // the scan reports the bad label
          }
          if (parsed) {
            const streams = (await import('../read-limited')).preloadedStreams();
            const setup = { rules, defaultRules: a['default-rules'] as boolean, config: a.config, maxFindingsPerRule: maxFindings, baseline: a.baseline as string | undefined, streams };
            threads.startEarlyRangeWorker({ setup, host: a.host, labels: parsed }, snapshots[0], jobs ?? threads.usableCores());
          }
        }
        try {
          const { scanCommand } = await import('./commands/scan');
          setExit(await scanCommand({
            snapshots,
            rules,
            defaultRules: a['default-rules'] as boolean,
            config: a.config,
            formats: collect(a.format),
            failOn: (a['fail-on'] as (typeof FAIL_ON)[number] | undefined) ?? 'error',
            failOnNotEvaluated: a['fail-on-not-evaluated'] as boolean,
            baseline: a.baseline,
            host: a.host,
            labels,
            ssFlags,
            redact: collect(a.redact),
            maxFindings,
            sarifCategory: a['sarif-category'],
            saveSnapshot: a['save-snapshot'],
            netns: a.netns,
            proc: a.proc as boolean,
            color: a.color,
            jobs,
          }));
        } finally {
          threads.dropEarlyRangeWorker();
        }
      },
    )
    .command(
      'parse <snapshot..>',
      'print the parsed socket records',
      (y) => y
        .positional('snapshot', { type: 'string', array: true, demandOption: true, describe: 'ss output files, folders, globs or - (stdin)' })
        .option('format', { alias: 'f', choices: ['json', 'ndjson'] as const, default: 'json' as const, describe: 'json: one document with every snapshot; ndjson: one socket per line (memory stays flat)' })
        .option('ss-flags', SS_FLAGS_OPTION),
      async (a) => {
        const { parseCommand } = await import('./commands/parse');
        const { ssFlagsArg } = await import('./args');
        setExit(await parseCommand(collect(a.snapshot) ?? [], a.format, ssFlagsArg(a['ss-flags'])));
      },
    )
    .command(
      'capture',
      'capture this host (or a namespace) to a snapshot file with metadata, for later scans',
      (y) => y
        .option('output', { alias: 'o', type: 'string', describe: 'file to write (- or none: stdout), or a folder (one that exists, or DIR/: made if missing): a new file in it, HOST-YYYYMMDDTHHMMSSZ.ss, whose path is printed' })
        .option('netns', { type: 'string', describe: 'network namespace: ip netns name, pid:PID or /proc/PID/ns/net' })
        .option('host', { type: 'string', describe: 'host name to record (default: this host name)' })
        .option('label', { type: 'string', array: true, describe: 'KEY=VALUE label to record (repeatable)' })
        .option('proc', { type: 'boolean', default: false, describe: 'read /proc/net instead of running ss' }),
      async (a) => {
        const { captureCommand } = await import('./commands/capture');
        setExit(await captureCommand({ output: undash(a.output), netns: a.netns, host: a.host, labels: collect(a.label) ?? [], proc: a.proc as boolean }));
      },
    )
    .command(
      'baseline <snapshot..>',
      "record today's findings so that `scan --baseline` fails only on new ones",
      (y) => y
        .positional('snapshot', { type: 'string', array: true, demandOption: true, describe: 'ss output files, folders, globs or - (stdin)' })
        .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'baseline file to write (- for stdout)' })
        .option('rules', { type: 'string', array: true, describe: 'extra rule file or folder (repeatable); give scan the same' })
        .option('default-rules', { type: 'boolean', default: true, describe: 'include the built-in pack (--no-default-rules to leave it out); give scan the same' })
        .option('config', { alias: 'c', type: 'string', describe: 'socklint.yaml: packs, overrides and waivers, as scan loads them (waived findings are left out: they fail once their waiver expires)' })
        .option('host', { type: 'string', describe: 'host name for the snapshots, all of that one host (default: capture metadata, else the file name); part of every fingerprint: give scan the same' })
        .option('label', { type: 'string', array: true, describe: 'KEY=VALUE label for host overrides (repeatable)' })
        .option('ss-flags', SS_FLAGS_OPTION),
      async (a) => {
        const { baselineCommand } = await import('./commands/baseline');
        const { ssFlagsArg } = await import('./args');
        setExit(await baselineCommand({
          snapshots: collect(a.snapshot) ?? [], output: undash(a.output) ?? '', rules: collect(a.rules) ?? [], defaultRules: a['default-rules'] as boolean,
          config: a.config, host: a.host, labels: collect(a.label) ?? [], ssFlags: ssFlagsArg(a['ss-flags']),
        }));
      },
    )
    .command('rules', 'list, validate, test and document rules', (y) => y
      .command('list [path..]', 'list rules (id, severity, kind, title)', (yy) => yy
        .positional('path', { type: 'string', array: true, describe: 'rule files or folders to list besides the built-in pack' })
        .option('default-rules', { type: 'boolean', default: true, describe: 'include the built-in pack (--no-default-rules to list only the given paths; with none, the pack is listed)' }),
      async (a) => {
        const { rulesList } = await import('./commands/rules');
        setExit(await rulesList(collect(a.path) ?? [], a['default-rules'] as boolean));
      })
      .command('validate <path..>', 'check rule files against the schema and the language', (yy) => yy
        .positional('path', { type: 'string', array: true, demandOption: true, describe: 'rule files or folders to check' })
        .option('default-rules', { type: 'boolean', default: true, describe: 'check ids against the built-in pack, as a scan loads them beside it (--no-default-rules if you scan without it)' }),
      async (a) => {
        const { rulesValidate } = await import('./commands/rules');
        setExit(await rulesValidate(collect(a.path) ?? [], a['default-rules'] as boolean));
      })
      .command('test [path..]', 'run the annotated rule fixtures (default: the built-in pack)', (yy) => yy
        .positional('path', { type: 'string', array: true, describe: 'rule files or folders, with their fixtures (*.ss files under them)' })
        .option('default-rules', { type: 'boolean', default: true, describe: 'check ids against the built-in pack (--no-default-rules if you scan without it)' }),
      async (a) => {
        const { rulesTest } = await import('./commands/rules');
        setExit(await rulesTest(collect(a.path) ?? [], a['default-rules'] as boolean));
      })
      .command('docs [path..]', 'print the Markdown rule reference (docs/rules.md)', (yy) => yy
        .positional('path', { type: 'string', array: true, describe: 'rule files or folders to document instead of the built-in pack' })
        .option('default-rules', { type: 'boolean', default: true, describe: 'check ids against the built-in pack (--no-default-rules if you scan without it)' }),
      async (a) => {
        const { rulesDocs } = await import('./commands/rules');
        setExit(await rulesDocs(collect(a.path) ?? [], a['default-rules'] as boolean));
      })
      .demandCommand(1, NAME_A_RULES_COMMAND),
    () => undefined)
    .help();

  try {
    await parser.parseAsync();
  } catch (e) {
    return reportError(e);
  }
  return exitCode;
}

function reportError(e: unknown): number {
  if (e instanceof UserError) {
    printDiagnostics(e.diagnostics);
    return e.exitCode;
  }
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EPIPE') return ExitCode.ok;
  warn(`internal error: ${err?.message ?? String(e)}`);
  if (process.env.SOCKLINT_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
  return ExitCode.internal;
}

/**
 * stdout failed. A reader that stopped early (`| head`, EPIPE) ends the process with the scan's exit code, every
 * file already written. Anything else (`> /dev/full`, a full disk) lost output: exit 2 saying so, not 0 or 1
 * in silence.
 */
function stdoutFailed(e: NodeJS.ErrnoException): void {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  const why = e.code === 'ENOSPC' || e.code === 'EDQUOT' ? 'no space left on the device' : e.code ?? e.message;
  printDiagnostics([{ file: 'stdout', code: 'stdout-write-failed', message: `cannot write the output (${why})` }]);
  process.exit(ExitCode.usage);
}

if (require.main === module && versionOnly()) {
  // The one call scripts make in a loop: answered before yargs and the command modules load.
  process.stdout.on('error', stdoutFailed);
  process.stdout.write(`${socklintVersion()}\n`);
} else if (require.main === module) {
  process.stdout.on('error', stdoutFailed);
  cleanUpOnSignals();
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, (e) => {
    process.exitCode = reportError(e);
  });
}
