// Prints one plain closing line, `jest: N passed, N failed, N skipped`, that CI and humans can read
// without parsing jest's own summary; when tests were skipped, it is followed by one line per skipped
// file with the reason the file gave loudly (`*** SKIPPED "<title>": <reason> ***` on the console),
// so a full run shows why, at its very end (jest's own console output scrolls away, issue 15).
'use strict';
const path = require('node:path');

const SKIP_NOTICE = /\*\*\* SKIPPED (.*?)\s*\*\*\*/s;

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = (globalConfig && globalConfig.rootDir) || process.cwd();
    /** file -> { skipped, reasons } */
    this.skips = new Map();
  }

  onTestResult(_test, result) {
    const reasons = (result.console || [])
      .map((entry) => SKIP_NOTICE.exec(String(entry.message)))
      .filter(Boolean)
      .map((match) => match[1].replace(/\s+/g, ' '));
    const skipped = result.numPendingTests + result.numTodoTests;
    if (skipped > 0 || reasons.length > 0) this.skips.set(result.testFilePath, { skipped, reasons });
  }

  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const suitesFailed = results.numFailedTestSuites - countSuitesWithFailedTests(results);
    let line = `jest: ${results.numPassedTests} passed, ${results.numFailedTests + suitesFailed} failed`;
    if (skipped > 0) line += `, ${skipped} skipped`;
    const lines = [line];
    for (const [file, { skipped: n, reasons }] of this.skips) {
      const where = path.relative(this.rootDir, file);
      const why = reasons.length > 0 ? reasons.join('; ') : 'no reason given (describe.skip / it.skip in the file)';
      lines.push(`  skipped: ${where}${n > 0 ? ` (${n})` : ''}: ${why}`);
    }
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}

// A suite that failed to run (syntax error, failing beforeAll) has no failed test of its own: count it.
function countSuitesWithFailedTests(results) {
  return results.testResults.filter((s) => s.numFailingTests > 0).length;
}

module.exports = SummaryReporter;
