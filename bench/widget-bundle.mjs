// Size of the script-tag build (dist/todo-chat.js: lit, the virtualizer, Markdown and all), from
// bench/bundle-size.mjs, which also fails `npm run build` over the 30 KB min+gzip budget. Sizes do not
// depend on machine load, so one measurement is exact.
// Run: npm run build && node bench/widget-bundle.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

const output = execFileSync(process.execPath, ['bench/bundle-size.mjs', 'dist/todo-chat.js', '--json'], { encoding: 'utf8' });
const size = JSON.parse(output.trim().split('\n').at(-1));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

console.log(`\nScript-tag build ${size.file}`);
const rows = [
  ['', 'size', 'budget'],
  ['minified', kb(size.minified), ''],
  ['min+gzip (level 9)', kb(size.gzip), `${kb(size.budget)} (${((size.gzip / size.budget) * 100).toFixed(0)}% used)`],
  ['brotli (quality 11)', kb(size.brotli), ''],
];
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
for (const [n, row] of rows.entries()) {
  console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/widget-bundle.json', JSON.stringify({ at: new Date().toISOString(), ...size }, null, 2) + '\n');
console.log('wrote bench/results/widget-bundle.json');
if (!size.ok) process.exitCode = 1;
