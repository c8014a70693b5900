import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

/** socklint's own version (from its package.json, src/version.ts and dist/version.js both sit one level below it). */
export function socklintVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as { version: string };
    cached = pkg.version;
  }
  return cached;
}
