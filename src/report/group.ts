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
