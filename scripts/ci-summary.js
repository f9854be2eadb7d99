#!/usr/bin/env node
// Prints jest's result as the one line CI reads: "N passed, N failed".
// A skipped or todo test counts as failed here: a check that does not run must not look green
// (test.skip, describe.skip, test.todo, or a .only that leaves the rest of its file out).
const fs = require('fs');
const file = process.argv[2];
let passed = 0;
let failed = 0;
try {
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed = r.numPassedTests;
  const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites || 0) + skipped;
  if (skipped > 0) {
    for (const suite of r.testResults || []) {
      for (const t of suite.assertionResults || []) {
        if (t.status === 'pending' || t.status === 'todo' || t.status === 'skipped') {
          console.error(`ci-summary: not run (${t.status}): ${suite.name}: ${t.fullName}`);
        }
      }
    }
  }
  if (!r.success && failed === 0) failed = 1;
} catch (e) {
  console.error(`ci-summary: cannot read ${file}: ${e.message}`);
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
