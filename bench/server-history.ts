// Opening the latest page of a conversation (GET ...?limit=50) with 100, 10k and 100k messages.
// Goal: the 100k conversation opens within 1.5× of the 100-message one (cursor paging on the
// (conversation_id, seq) index). Run: npm run build && node --import tsx bench/server-history.ts
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import knex from 'knex';
import { DATABASE_URL, SECRET, load, ms, startProcess, summarize, token } from './lib.js';

const SIZES = [100, 10_000, 100_000];
const REQUESTS = 400;

const server = await startProcess(['dist/server/main.js'], { DATABASE_URL, BETTER_AUTH_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '0' });
const db = knex({ client: 'pg', connection: DATABASE_URL });
const user = `bench-history-${randomUUID().slice(0, 8)}`;
const auth = `Bearer ${await token(user)}`;

const results: Record<string, unknown>[] = [];
try {
  const conversations: Record<number, string> = {};
  for (const size of SIZES) {
    const [{ id }] = await db('conversation').insert({ user_id: user, title: `${size} messages`, message_count: size }).returning('id');
    // Seed directly in SQL: alternating user/assistant messages, in order.
    await db.raw(
      `insert into message (user_id, conversation_id, role, content, turn_state)
       select ?, ?, case when g % 2 = 0 then 'user' else 'assistant' end, 'message number ' || g,
              case when g % 2 = 0 then 'done' else null end
       from generate_series(0, ? - 1) g`,
      [user, id, size],
    );
    conversations[size] = id;
  }
  await db.raw('analyze message');
  const open = (id: string) => async () => {
    const res = await fetch(`${server.url}/api/${user}/conversations/${id}?limit=50`, { headers: { authorization: auth } });
    if (res.status !== 200) throw new Error(`answered ${res.status}`);
    await res.arrayBuffer();
  };
  for (const size of SIZES) await load(4, 100, open(conversations[size]!)); // warm-up
  for (const size of SIZES) {
    const run = await load(1, REQUESTS, open(conversations[size]!));
    const s = summarize(run.latencies, run.seconds);
    results.push({ messages: size, ...s });
    console.log(`${String(size).padStart(6)} messages: p50 ${ms(s.p50)} p95 ${ms(s.p95)} p99 ${ms(s.p99)}`);
  }
  const first = results[0] as { p50: number };
  const last = results.at(-1) as { p50: number };
  console.log(`p50 ratio 100k / 100: ×${(last.p50 / first.p50).toFixed(2)} (goal ≤ 1.5)`);
} finally {
  await db('conversation').where({ user_id: user }).delete();
  await db.destroy();
  await server.stop();
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/server-history.json', JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
