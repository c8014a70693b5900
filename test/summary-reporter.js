/**
 * Prints one plain closing line, `Tests: N passed, M failed[, K skipped]`, after jest's own summary, so CI logs
 * end with a count any reader (human or machine) recognises.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `Tests: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    // jest prints its own summary after the reporters run: write ours on exit, so it is the last line.
    process.once('exit', () => process.stderr.write(`${line}\n`));
  }
}
module.exports = SummaryReporter;
