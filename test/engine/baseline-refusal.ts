/** What loadBaseline says of a file it refuses (baseline-read.test.ts, baseline-stream.test.ts). */
import { loadBaseline } from '../../src/engine/baseline';
import { UserError, type Diagnostic } from '../../src/diagnostics';

/** The diagnostic of `file`'s refusal, a usage error (exit 2); fails the test when the file is read. */
export function refusal(file: string): Diagnostic {
  try {
    loadBaseline(file);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).exitCode).toBe(2);
    return (e as UserError).diagnostics[0];
  }
  throw new Error('accepted');
}
