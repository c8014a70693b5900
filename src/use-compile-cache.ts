/**
 * Imported first by the command line's entry point (cli/main.ts), so that every module it loads after it is
 * compiled with the compile cache (compile-cache.ts). A worker thread's entry has its own
 * (engine/worker-compile-cache.ts).
 */
import { useCompileCache } from './compile-cache';

useCompileCache();
