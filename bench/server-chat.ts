// Chat-turn latency and throughput at 1, 10 and 50 concurrent clients against PostgreSQL, beside a
// baseline measured in the same run (bench/baseline-server.ts: one INSERT behind a bare Express route).
// Run: npm run build && node --import tsx bench/server-chat.ts   (DATABASE_URL defaults to the local test db)
import { randomUUID } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { DATABASE_URL, SECRET, load, ms, startProcess, summarize, token } from './lib.js';

const LEVELS = [1, 10, 50];
const REQUESTS: Record<number, number> = { 1: 300, 10: 1500, 50: 2500 };

const server = await startProcess(['dist/server/main.js'], {
  DATABASE_URL,
  BETTER_AUTH_SECRET: SECRET,
  RATE_LIMIT_PER_MINUTE: '0',
});
const baseline = await startProcess(['--import', 'tsx', 'bench/baseline-server.ts'], { DATABASE_URL });

const run = randomUUID().slice(0, 8);
const users = await Promise.all(
  Array.from({ length: Math.max(...LEVELS) }, async (_, i) => {
    const id = `bench-${run}-${i}`;
    return { id, auth: `Bearer ${await token(id)}`, conversation: null as string | null };
  }),
);

async function chat(client: number) {
  const user = users[client]!;
  const res = await fetch(`${server.url}/api/${user.id}/chat`, {
    method: 'POST',
    headers: { authorization: user.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'hello there', conversation_id: user.conversation, client_message_id: randomUUID() }),
  });
  if (res.status !== 200) throw new Error(`chat answered ${res.status}: ${await res.text()}`);
  user.conversation ??= ((await res.json()) as { conversation_id: string }).conversation_id;
  if (!res.bodyUsed) await res.arrayBuffer();
}

async function insert() {
  const res = await fetch(`${baseline.url}/insert`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'hello there' }),
  });
  if (res.status !== 200) throw new Error(`baseline answered ${res.status}`);
  await res.arrayBuffer();
}

const rows: Record<string, unknown>[] = [];
try {
  // Warm both up (connections, JIT, the users' first conversation).
  await load(50, 200, (c) => chat(c));
  await load(50, 200, () => insert());
  for (const clients of LEVELS) {
    const total = REQUESTS[clients]!;
    const base = await load(clients, total, () => insert());
    const turn = await load(clients, total, (c) => chat(c));
    const b = summarize(base.latencies, base.seconds);
    const t = summarize(turn.latencies, turn.seconds);
    rows.push({ clients, requests: total, turn: t, baseline: b, p95_ratio: t.p95 / b.p95, rps_ratio: b.rps / t.rps });
    console.log(
      `${String(clients).padStart(2)} clients: turn p50 ${ms(t.p50)} p95 ${ms(t.p95)} p99 ${ms(t.p99)} ${t.rps.toFixed(0)} req/s | ` +
        `baseline p50 ${ms(b.p50)} p95 ${ms(b.p95)} p99 ${ms(b.p99)} ${b.rps.toFixed(0)} req/s | p95 ×${(t.p95 / b.p95).toFixed(2)}`,
    );
  }
} finally {
  await Promise.all([server.stop(), baseline.stop()]);
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/server-chat.json', JSON.stringify({ at: new Date().toISOString(), rows }, null, 2));
