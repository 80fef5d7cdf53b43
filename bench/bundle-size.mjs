// The size budget of the script-tag build (issue 3): dist/todo-chat.js, minified by rollup, must stay at or
// under 30 KB gzipped, markdown and all. Prints the figures; exits 1 over budget, so `npm run build` fails.
//   node bench/bundle-size.mjs [file] [--json]
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const BUDGET_BYTES = 30 * 1024;
const file = process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 'dist/todo-chat.js';

let source;
try {
  source = readFileSync(file);
} catch {
  console.error(`bundle-size: ${file} does not exist. Run the rollup build first.`);
  process.exit(1);
}

const gzip = gzipSync(source, { level: 9 }).length;
const brotli = brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const result = { file, minified: source.length, gzip, brotli, budget: BUDGET_BYTES, ok: gzip <= BUDGET_BYTES };

if (process.argv.includes('--json')) console.log(JSON.stringify(result));
else {
  console.log(
    `${file}: ${kb(source.length)} min, ${kb(gzip)} min+gzip (budget ${kb(BUDGET_BYTES)}, ` +
      `${((gzip / BUDGET_BYTES) * 100).toFixed(0)}% used), ${kb(brotli)} brotli`,
  );
}
if (!result.ok) {
  console.error(`bundle-size: ${file} is ${kb(gzip)} gzipped, over the ${kb(BUDGET_BYTES)} budget.`);
  process.exit(1);
}
