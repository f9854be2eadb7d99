#!/usr/bin/env node
// Prints jest's result as the one line CI reads: "N passed, N failed".
const fs = require('fs');
const file = process.argv[2];
let passed = 0;
let failed = 0;
try {
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
  if (!r.success && failed === 0) failed = 1;
} catch (e) {
  console.error(`ci-summary: cannot read ${file}: ${e.message}`);
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
