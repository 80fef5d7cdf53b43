// The built-in agent's per-turn cost: understanding a message (pure CPU) and a whole agent run with its
// task tools on the real database, over the 259-row phrasing table of server/test/phrasings.ts.
// Run: node --import tsx bench/agent-builtin.ts   (DATABASE_URL defaults to the local test db)
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { BuiltinAgent } from '../server/src/agent/builtin.js';
import { parse } from '../server/src/agent/builtin/parser.js';
import { Store } from '../server/src/store/store.js';
import { createTaskTools } from '../server/src/tasks/tools.js';
import { FIXTURE, PHRASINGS } from '../server/test/phrasings.js';
import { DATABASE_URL, ms, percentile } from './lib.js';

const rows = PHRASINGS.filter((p) => !p.before);
const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
const p95 = (values: number[]) => percentile([...values].sort((a, b) => a - b), 95);

// 1. Understanding only: parse() per message, 20 passes over the table after a warm-up pass.
for (const row of rows) parse(row.say);
const parseTimes: number[] = [];
for (let pass = 0; pass < 20; pass++) {
  for (const row of rows) {
    const t0 = performance.now();
    parse(row.say);
    parseTimes.push(performance.now() - t0);
  }
}
const long = 'please add '.concat('buy milk and eggs, '.repeat(200)).slice(0, 4000);
const longTimes = Array.from({ length: 10 }, () => {
  const t0 = performance.now();
  parse(long);
  return performance.now() - t0;
});

// 2. Whole runs with real tools on PostgreSQL: a fresh user per row holding the fixture tasks.
const store = await Store.open({ databaseUrl: DATABASE_URL });
await store.migrate();
const agent = new BuiltinAgent();
const runTimes: number[] = [];
let toolCalls = 0;
try {
  for (const row of rows) {
    const userId = `bench-agent-${randomUUID()}`;
    for (const title of FIXTURE) await store.addTask(userId, { title });
    const tools = createTaskTools(store, userId);
    const t0 = performance.now();
    for await (const _event of agent.run({ history: [], message: row.say, tools, signal: AbortSignal.timeout(10_000) }));
    runTimes.push(performance.now() - t0);
    toolCalls += tools.calls.length;
  }
} finally {
  await store.close();
}

const result = {
  phrasings: rows.length,
  parse: { median_ms: median(parseTimes), p95_ms: p95(parseTimes), max_4000_chars_ms: Math.max(...longTimes) },
  run: { median_ms: median(runTimes), p95_ms: p95(runTimes), tool_calls_per_turn: toolCalls / rows.length },
};
const us = (value: number) => `${Math.round(value * 1000)} µs`;
console.log(`understanding a message: median ${us(result.parse.median_ms)}, p95 ${us(result.parse.p95_ms)}; a 4000-character message: ${ms(result.parse.max_4000_chars_ms)}`);
console.log(`whole agent run with tools on PostgreSQL: median ${ms(result.run.median_ms)}, p95 ${ms(result.run.p95_ms)}, ${result.run.tool_calls_per_turn.toFixed(2)} tool calls per turn (${rows.length} phrasings)`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/agent-builtin.json', JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2));
