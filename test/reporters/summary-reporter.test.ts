/**
 * Point 8 of issue 15: a full `npm test` ends with the reason of every skipped file (the Wine test
 * without .ci/wine.sh, the netns tests without root), not only "1 skipped".
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SummaryReporter = require('./summary-reporter.js') as new (config: { rootDir: string }) => {
  onTestResult(test: unknown, result: unknown): void;
  onRunComplete(contexts: unknown, results: unknown): void;
};

const fileResult = (file: string, pending: number, messages: string[]) => ({
  testFilePath: `/repo/${file}`,
  numPendingTests: pending,
  numTodoTests: 0,
  numFailingTests: 0,
  console: messages.map((message) => ({ message, type: 'warn', origin: '' })),
});

describe('the summary reporter', () => {
  it('ends with the count and, per skipped file, the reason it printed', () => {
    const reporter = new SummaryReporter({ rootDir: '/repo' });
    const files = [
      fileResult('test/adapters/windows/wine.test.ts', 1, [
        '\n*** SKIPPED "windows adapter under Wine": wine64 is not installed. Run .ci/wine.sh to install Wine, mingw-w64 and node.exe. ***\n',
      ]),
      fileResult('test/src/x.test.ts', 0, ['an ordinary log line']),
      fileResult('test/src/y.test.ts', 2, []),
    ];
    for (const f of files) reporter.onTestResult({}, f);
    let written = '';
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written += String(chunk);
      return true;
    });
    try {
      reporter.onRunComplete(new Set(), { numPassedTests: 10, numFailedTests: 0, numFailedTestSuites: 0, numPendingTests: 3, numTodoTests: 0, testResults: files });
    } finally {
      write.mockRestore();
    }
    expect(written.split('\n')).toEqual([
      '',
      'jest: 10 passed, 0 failed, 3 skipped',
      '  skipped: test/adapters/windows/wine.test.ts (1): "windows adapter under Wine": wine64 is not installed. Run .ci/wine.sh to install Wine, mingw-w64 and node.exe.',
      '  skipped: test/src/y.test.ts (2): no reason given (describe.skip / it.skip in the file)',
      '',
    ]);
  });
});
