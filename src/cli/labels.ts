/** `--label KEY=VALUE` arguments (its own small module: cli/main.ts reads them before loading the scan). */
import { ExitCode, UserError } from '../diagnostics';

export function parseLabelArgs(values: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UserError({ file: '--label', code: 'bad-label', message: `"${v}" is not KEY=VALUE`, hint: 'e.g. --label role=db' }, ExitCode.usage);
    labels[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return labels;
}
