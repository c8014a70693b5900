/**
 * Reports list findings per host (SARIF runs) or per snapshot (JUnit suites). A fleet scan has thousands of
 * snapshots and findings: filtering the whole list once per host would be quadratic, so lists are grouped
 * in one pass, each group in the list's order.
 */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [item]);
    else g.push(item);
  }
  return groups;
}

/**
 * A word YAML reads as the string it is, written bare: no indicator first, no flow punctuation, no spelling of
 * null, a boolean or a number (`CLOSE-WAIT`, `java`, `leaky-app`, `nginx.worker`).
 */
const BARE = /^[A-Za-z_][A-Za-z0-9_./+-]*$/;
const NOT_A_STRING = /^(?:null|true|false|yes|no|on|off|y|n)$/i;

/** What a config value is made of, as reports show it (an aggregate's group, a `hosts:` entry's `match:`). */
export type FlowValue = string | number | null | { readonly [key: string]: FlowValue };

/**
 * A config value as YAML writes it in one line, a flow mapping: an aggregate finding's group as a waiver's
 * `group:` takes it (`{state: CLOSE-WAIT, process: null}`), a `hosts:` entry's `match:` (`{host: "lb-*"}`). The
 * group of sockets without the key is `null`; a string that YAML would read as something else, or that holds
 * anything but plain word characters, is double-quoted (`"null"`, `"-"`, `"10.0.0.9"`) with JSON's escapes,
 * which YAML's double quotes share: every spelling reads back as the one value it shows.
 */
export function yamlFlow(map: { readonly [key: string]: FlowValue }): string {
  const value = (v: FlowValue): string =>
    v === null ? 'null'
      : typeof v === 'number' ? String(v)
        : typeof v === 'object' ? yamlFlow(v)
          : BARE.test(v) && !NOT_A_STRING.test(v) ? v : JSON.stringify(v);
  return `{${Object.entries(map).map(([k, v]) => `${value(k)}: ${value(v)}`).join(', ')}}`;
}
