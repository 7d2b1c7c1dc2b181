// Prints one plain closing line, `jest: N passed, N failed, N skipped`, that CI and humans can read
// without parsing jest's own summary.
'use strict';

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const suitesFailed = results.numFailedTestSuites - countSuitesWithFailedTests(results);
    let line = `jest: ${results.numPassedTests} passed, ${results.numFailedTests + suitesFailed} failed`;
    if (skipped > 0) line += `, ${skipped} skipped`;
    process.stdout.write(`\n${line}\n`);
  }
}

// A suite that failed to run (syntax error, failing beforeAll) has no failed test of its own: count it.
function countSuitesWithFailedTests(results) {
  return results.testResults.filter((s) => s.numFailingTests > 0).length;
}

module.exports = SummaryReporter;
