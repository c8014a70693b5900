/**
 * Ordering of text (reports, rule lists, folder walks): by UTF-16 code unit, the same on every machine and locale (localeCompare
 * depends on ICU data and the locale, and loading ICU costs start-up time).
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
