// `npm start` to the first 200 on the embedded database, with a fresh data dir and an existing one.
// Measures the server process (node dist/server/main.js) from spawn to the first 200 of /readyz;
// the build that `npm start` runs first is timed separately.
// Run: npm run build && node --import tsx bench/server-startup.ts
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ms, startProcess } from './lib.js';

const RUNS = 3;
const rows: { case: string; ms: number[] }[] = [
  { case: 'fresh data dir', ms: [] },
  { case: 'existing data dir', ms: [] },
];
for (let i = 0; i < RUNS; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'todo-chat-bench-'));
  try {
    for (const row of rows) {
      const t0 = performance.now();
      const child = await startProcess(['dist/server/main.js'], { DATA_DIR: dir, DATABASE_URL: '' }, '/readyz');
      row.ms.push(performance.now() - t0);
      await child.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const t0 = performance.now();
execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'ignore' });
const buildMs = performance.now() - t0;
for (const row of rows) {
  const sorted = [...row.ms].sort((a, b) => a - b);
  console.log(`${row.case}: median ${ms(sorted[Math.floor(sorted.length / 2)]!)} (runs: ${row.ms.map(ms).join(', ')})`);
}
console.log(`npm run build (what npm start does first): ${ms(buildMs)}`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/server-startup.json', JSON.stringify({ at: new Date().toISOString(), rows, buildMs }, null, 2));
