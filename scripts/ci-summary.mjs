// Prints the plain closing line CI reads ("N passed, N failed, N skipped") from vitest's JSON report.
import { readFileSync } from 'node:fs';

const r = JSON.parse(readFileSync(new URL('../.tmp/test-results.json', import.meta.url), 'utf8'));
const skipped = r.numPendingTests + r.numTodoTests;
process.stdout.write(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped\n`);
process.exit(r.numFailedTests > 0 || r.numTotalTests === 0 ? 1 : 0);
