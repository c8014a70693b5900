/**
 * Imported first by socklint's entry points (cli/main.ts, engine/worker.ts), so that every module they load
 * after it is compiled with the compile cache (compile-cache.ts).
 */
import { useCompileCache } from './compile-cache';

useCompileCache();
