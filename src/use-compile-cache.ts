/**
 * Imported first by the command line's entry point (cli/main.ts), so that every module it loads after it is
 * compiled with the compile cache (compile-cache.ts). A worker thread's entry has its own
 * (engine/worker-compile-cache.ts).
 */
import { useCompileCache } from './compile-cache';

/** Whether the command line is `socklint --version` and nothing else: the one call scripts make in a loop. */
export function versionOnly(argv: readonly string[] = process.argv): boolean {
  return argv.length === 3 && argv[2] === '--version';
}

// `socklint --version` (main.ts answers it first) loads four small modules: reading the cache would cost more
// than it saves (~8 ms)
if (!versionOnly()) useCompileCache();
