// A Vitest reporter that ends the run with one plain line, "N passed, N failed[, N skipped]",
// the form CI reads for runners whose own summary it does not parse. Use it next to the
// default reporter: `vitest run --reporter=default --reporter=./scripts/summary-reporter.mjs`.
export default class SummaryReporter {
  onTestRunEnd(testModules, unhandledErrors) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') counts.failed += 1;
        else counts.skipped += 1;
      }
      // A file that failed to load has no tests but must not read as green.
      if (module.state() === 'failed' && !module.children.size) counts.failed += 1;
    }
    counts.failed += unhandledErrors.length;
    const skipped = counts.skipped ? `, ${counts.skipped} skipped` : '';
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed${skipped}\n`);
  }
}
