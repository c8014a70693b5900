/**
 * docs/rules.md: the rule reference generated from the pack's own metadata, so the page cannot drift
 * from the rules (test/rules/reference.test.ts fails when it is stale).
 */
import * as path from 'path';
import type { RuleDefinition } from './compile';
import type { CompiledRule } from './types';
import type { FieldGroup } from '../snapshot/types';
import { tryCompileRule } from './compile';
import { GROUP_FLAGS } from './fields';
import { socketFilterOf } from './compile';
import { listedBy } from '../snapshot/coverage';
import { compareText } from '../compare';
import { escapeControl } from '../diagnostics';

export const REGENERATE_COMMAND = 'node dist/cli/main.js rules docs > docs/rules.md';

function referenceLink(ref: string): string {
  const cwe = /^CWE-(\d+)$/i.exec(ref.trim());
  if (cwe) return `[${ref}](https://cwe.mitre.org/data/definitions/${cwe[1]}.html)`;
  if (/^https?:\/\//.test(ref)) return `<${ref}>`;
  return ref;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\n\r]/g, ' ');
}

function code(v: unknown): string {
  const s = Array.isArray(v) ? `[${v.map((x) => (typeof x === 'string' ? JSON.stringify(x) : String(x))).join(', ')}]` : typeof v === 'string' ? JSON.stringify(v) : String(v);
  return `\`${s.replace(/`/g, "'")}\``;
}

function evaluates(def: RuleDefinition): string {
  const a = def.raw.aggregate;
  if (!a) return 'per socket: one finding for each matching socket';
  const fn = a.function ?? 'count';
  const what = fn === 'count' ? 'count of matching sockets' : `${fn} of \`${a.field}\` over matching sockets`;
  const op = (['gt', 'gte', 'lt', 'lte', 'eq'] as const).find((o) => a[o] !== undefined)!;
  const sym = { gt: '>', gte: '≥', lt: '<', lte: '≤', eq: '=' }[op];
  const limit = typeof a[op] === 'string' ? `\`${String(a[op]).slice(1)}\`` : String(a[op]);
  const groups = a.groupBy?.length ? `, per ${a.groupBy.join(' and ')}` : ' on the host';
  return `aggregate: ${what}${groups}; fires when ${sym} ${limit}`;
}

/** A word of a shell command as written: quoted when it holds anything but the characters of a plain path. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** Whose rules a reference documents: a user's pack (`socklint rules docs my-rules/`), not the built-in one. */
export interface OwnPack {
  /** The rule files and folders, as the user named them. */
  paths: readonly string[];
  /** The command that printed it, less the paths (`socklint rules docs --no-default-rules`). */
  command: string;
}

/** `group` (the ss flags that capture it). */
function groupText(g: FieldGroup): string {
  return `\`${g}\` (${GROUP_FLAGS[g]})`;
}

/**
 * The Needs cell of a rule: what it needs to be evaluated, as the engine decides it (CompiledRule.missingFields),
 * not every group it reads: an `any:` rule runs on a capture that carries one evaluable branch (retransmitting
 * on `ss -o`), and reads the other branches' groups where they were captured. The smallest sets of groups that
 * make it evaluable, then the groups it reads beyond them.
 */
function needsCell(rule: Pick<CompiledRule, 'requires' | 'missingFields'> | undefined): string {
  const reads = rule?.requires ?? [];
  if (rule === undefined || reads.length === 0) return 'nothing beyond the basic columns';
  // a mask's subsets come before it: a set holding one found evaluable before is not one of the smallest
  const minimal: FieldGroup[][] = [];
  for (let m = 0; m < 1 << reads.length; m++) {
    const set = reads.filter((_, i) => m & (1 << i));
    if (!minimal.some((s) => s.every((g) => set.includes(g))) && rule.missingFields(new Set(set)).length === 0) minimal.push(set);
  }
  const sets = minimal.map((s) => (s.length === 0 ? 'nothing beyond the basic columns' : s.map(groupText).join(', ')));
  const more = reads.filter((g) => !minimal.some((s) => s.includes(g)));
  return `${sets.length === 1 ? sets[0] : `either ${sets.join(', or ')}`}; otherwise reported as not evaluated`
    + (more.length > 0 ? `. Reads ${more.map(groupText).join(', ')} too, where the capture has ${more.length === 1 ? 'it' : 'them'}` : '');
}

/**
 * Markdown reference of the given rules (sorted by id): docs/rules.md for the built-in pack, or, given `own`, the
 * reference of a user's pack, whose header names the command that regenerates it (docs/rules.md and its
 * neighbour rule-language.md are socklint's own pages, not the user's).
 */
export function renderRulesReference(definitions: readonly RuleDefinition[], own?: OwnPack): string {
  const defs = [...definitions].sort((a, b) => compareText(a.id, b.id));
  const out: string[] = [];
  if (own) {
    const span = (text: string): string => `\`${text.replace(/`/g, "'")}\``;
    const regenerate = span(`${own.command} ${own.paths.map(shellWord).join(' ')}`);
    out.push('# Rule reference', '');
    out.push(`<!-- Generated from the rules' metadata by ${regenerate}; do not edit: run it again after changing a rule. -->`, '');
    out.push(`The socklint rules of ${own.paths.map(span).join(', ')}. The rule language is described in socklint's docs/rule-language.md. Variables can be overridden per host in socklint's config file.`, '');
  } else {
    out.push('# socklint rule reference', '');
    out.push(`<!-- Generated from the rule pack's metadata; do not edit. Regenerate: \`${REGENERATE_COMMAND}\` -->`, '');
    out.push('The rule language is described in [rule-language.md](rule-language.md). Variables can be overridden per host in the config file.', '');
  }
  out.push('| id | severity | kind | title |', '|---|---|---|---|');
  for (const d of defs) out.push(`| [\`${d.id}\`](#${d.id}) | ${d.raw.severity} | ${d.raw.kind}${d.raw.aggregate ? ' (aggregate)' : ''}${d.raw.enabled === false ? ', off by default' : ''} | ${cell(d.raw.title)} |`);
  out.push('');
  for (const d of defs) {
    const r = d.raw;
    const compiled = tryCompileRule(d).rule;
    out.push(`## ${d.id}`, '');
    out.push(`**${cell(r.title)}**`, '');
    out.push('| | |', '|---|---|');
    out.push(`| Severity | ${r.severity}${r.securitySeverity !== undefined ? ` (security severity ${r.securitySeverity})` : ''} |`);
    out.push(`| Kind | ${r.kind} |`);
    if (r.enabled === false) out.push(`| Enabled | no: runs where a config enables it (\`enable: [${d.id}]\`, at the top level or in a \`hosts:\` entry) |`);
    out.push(`| Evaluates | ${cell(evaluates(d))} |`);
    out.push(`| Needs | ${cell(needsCell(compiled))} |`);
    const sockets = compiled && listedBy(socketFilterOf(compiled.match));
    if (sockets) out.push(`| Sockets | ${cell(sockets)}; a capture that cannot list them leaves the rule not evaluated |`);
    if (r.tags?.length) out.push(`| Tags | ${r.tags.map((t) => `\`${t}\``).join(' ')} |`);
    if (r.references?.length) out.push(`| References | ${r.references.map((x) => cell(referenceLink(x))).join('<br>')} |`);
    out.push(`| Defined in | \`${path.basename(d.source.file)}\` |`);
    out.push('');
    out.push('### What fires', '', r.description.trim(), '');
    out.push('### Why it matters and how to fix it', '', r.help.trim(), '');
    const vars = Object.values(d.vars);
    if (vars.length) {
      out.push('### Variables', '', '| name | type | default | description |', '|---|---|---|---|');
      for (const v of vars) out.push(`| \`${v.name}\` | ${v.type} | ${code(v.default)} | ${cell(v.description ?? '')} |`);
      out.push('');
    }
    out.push(`Message: ${code(r.message)}`, '');
  }
  // rule text is the author's: control characters (an ESC that drives the terminal it is printed on, a CR) are
  // shown escaped, as the text report shows a snapshot's; line breaks and tabs of descriptions and help stay
  const text = out.join('\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => escapeControl(c));
  return `${text.replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
