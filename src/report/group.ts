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

/**
 * An aggregate finding's group as a waiver's `group:` takes it, a YAML flow mapping: `{state: CLOSE-WAIT, process:
 * null}`. The group of sockets without the key is `null`; a string that YAML would read as something else, or
 * that holds anything but plain word characters, is double-quoted (`"null"`, `"-"`, `"10.0.0.9"`) with JSON's
 * escapes, which YAML's double quotes share: every spelling reads back as the one value it shows.
 */
export function groupAsWaiver(group: Record<string, string | number | null>): string {
  const value = (v: string | number | null): string =>
    v === null ? 'null' : typeof v === 'number' ? String(v) : BARE.test(v) && !NOT_A_STRING.test(v) ? v : JSON.stringify(v);
  return `{${Object.entries(group).map(([k, v]) => `${k}: ${value(v)}`).join(', ')}}`;
}
