/** The check that stops a fleet scan before its findings leave the reports no memory (src/engine/memory.ts). */
import { ExitCode, UserError } from '../../src/diagnostics';
import { checkFindingsMemory, FINDINGS_HEAP_SHARE, FINDINGS_HEAP_SHARE_JUNIT } from '../../src/engine/memory';

it('passes while the heap holds less than the share of its limit, and names the snapshot, the counts and the way out past it', () => {
  expect(() => checkFindingsMemory('web-01.ss', 10, 200, 1)).not.toThrow(); // the whole limit: never reached
  let error: unknown;
  try {
    checkFindingsMemory('fleet/web-02.ss', 2, 40, 0); // no room at all
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UserError);
  const u = error as UserError;
  expect(u.exitCode).toBe(ExitCode.usage);
  expect(u.diagnostics[0]).toEqual(expect.objectContaining({ file: 'fleet/web-02.ss', code: 'out-of-memory' }));
  expect(u.diagnostics[0].message).toMatch(/^after 2 snapshots, their 40 findings fill \d+ MiB of the \d+ MiB Node\.js may use/);
  expect(u.diagnostics[0].hint).toMatch(/--max-findings.*--max-old-space-size/);
});

it('leaves a JUnit report (its whole XML document in memory) more room than the others', () => {
  expect(FINDINGS_HEAP_SHARE_JUNIT).toBeLessThan(FINDINGS_HEAP_SHARE);
  expect(FINDINGS_HEAP_SHARE).toBeLessThanOrEqual(0.5);
});
