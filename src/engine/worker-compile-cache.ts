/**
 * Imported first by a worker thread's entry (worker.ts), so that every module it loads after it is compiled
 * with the compile cache (compile-cache.ts), under the V8 flags the process has as it loads them (their
 * shared values come in the workerData: threads.ts startScanWorker).
 */
import { workerData } from 'node:worker_threads';
import { useCompileCache } from '../compile-cache';

useCompileCache((workerData as { v8Flags?: unknown } | null)?.v8Flags);
