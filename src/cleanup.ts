/**
 * Files and folders that exist only while socklint runs (a capture's temporary snapshot, a live scan's folder)
 * are removed, and child processes (ss) stopped, when a signal ends the process. Without handlers, SIGINT, SIGTERM or SIGHUP ended socklint at once and
 * left `.NAME.PID.….tmp` files beside the reports and snapshots. With them, a signal is handled between two
 * steps of the event loop: a report being written (synchronously, report/write.ts) is finished and renamed
 * first, so no temporary report file is ever left, and what is registered here is removed before the exit.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

const pending = new Set<() => void>();

/** Run `undo` if a signal ends the process (it must be quick and synchronous); returns what unregisters it. */
export function onInterrupt(undo: () => void): () => void {
  pending.add(undo);
  return () => { pending.delete(undo); };
}

/** Remove `path` (a file, or a folder and what it holds) if a signal ends the process; returns the undo. */
export function removeIfInterrupted(path: string): () => void {
  return onInterrupt(() => fs.rmSync(path, { recursive: true, force: true }));
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * On those signals, remove what is registered, then end by the same signal, as the shell expects (its `$?` is
 * 128 + the signal's number; a script's loop stops on Ctrl-C). The signal is raised again with its default
 * action (the handler is gone once it ran) rather than process.exit(128 + N): that would wait for Node's
 * file-system threads, and one may be waiting in the open of a pipe nobody writes into (read-limited.ts).
 */
export function cleanUpOnSignals(): void {
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      for (const undo of pending) {
        try {
          undo();
        } catch {
          // exiting anyway: what could not be undone stays, as it would have without the handler
        }
      }
      process.kill(process.pid, signal);
      // (were the signal ignored after all, as nohup does SIGHUP, this still ends the run)
      setTimeout(() => process.exit(128 + os.constants.signals[signal]), 1000);
    });
  }
}
