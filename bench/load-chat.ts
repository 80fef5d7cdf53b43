// 200 simulated users × 50 messages each, all at once, against one server process and then against two
// processes on one database; afterwards the database itself (not the API) must hold every message
// exactly once, in the order sent, each followed by its reply.
// Run: npm run build && node --import tsx bench/load-chat.ts
//   USERS=200 MESSAGES=50 SERVERS=1,2 (defaults), DATABASE_URL defaults to the local test database, KEEP=1 keeps
//   the rows. POOL_MAX=n starves each server's pool (DATABASE_POOL_MAX) to exercise the 503-and-retry path;
//   that run writes bench/results/load-chat-pool<n>.json.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import knexFactory from 'knex';
import { checkDatabase, isClean, removeUsers, SimulatedUser, type Attempt, type DatabaseCheck } from './load-client.js';
import { DATABASE_URL, SECRET, ms, startProcess, summarize, type Child } from './lib.js';

const USERS = Number(process.env.USERS ?? 200);
const MESSAGES = Number(process.env.MESSAGES ?? 50);
const SERVERS = (process.env.SERVERS ?? '1,2').split(',').map(Number);
const POOL_MAX = process.env.POOL_MAX;
/** A run that has not finished by then is reported as failed rather than left running on a shared machine. */
const RUN_LIMIT_MS = 15 * 60_000;

interface RunResult {
  servers: number;
  users: number;
  messages_per_user: number;
  turns: number;
  seconds: number;
  turns_per_second: number;
  /** Per answered message, from its first attempt to its answer (retries included). */
  turn_ms: { p50: number; p95: number; p99: number; max: number };
  attempts: number;
  /** Failed attempts by status and code, all retried with the same client_message_id. */
  retried: Record<string, number>;
  database: DatabaseCheck;
  clean: boolean;
}

const db = knexFactory({ client: 'pg', connection: DATABASE_URL, pool: { min: 0, max: 2 } });

async function run(servers: Child[]): Promise<{ result: RunResult; users: SimulatedUser[] }> {
  const tag = randomUUID().slice(0, 8);
  // With two servers each user's consecutive messages go to alternate processes: the strictest form of
  // "users alternate between them", since nothing about a conversation may live in one process.
  const users = await Promise.all(
    Array.from({ length: USERS }, (_, i) =>
      new SimulatedUser(`load-${tag}-${i}`, (n) => servers[(i + n) % servers.length]!.url).signIn(),
    ),
  );
  const retried: Record<string, number> = {};
  const onFailure = (a: Attempt) => {
    const key = `${a.status}${a.code ? ` ${a.code}` : ''}`;
    retried[key] = (retried[key] ?? 0) + 1;
  };
  const deadline = Date.now() + RUN_LIMIT_MS;
  const started = performance.now();
  const outcomes = await Promise.allSettled(
    users.map(async (user) => {
      for (let n = 0; n < MESSAGES; n++) await user.send(`load message ${n + 1} of ${MESSAGES} from ${user.id}`, { onFailure, deadline });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const failed = outcomes.filter((o) => o.status === 'rejected');
  if (failed.length) console.error(`${failed.length} users did not finish, e.g. ${(failed[0] as PromiseRejectedResult).reason}`);

  const turns = users.flatMap((u) => u.sent);
  const latency = summarize(turns.map((t) => t.ms), seconds);
  const database = await checkDatabase(db, users);
  // Every user must also have got every answer: a run cut short is not clean even if what it stored is.
  const clean = isClean(database) && turns.length === USERS * MESSAGES;
  return {
    users,
    result: {
      servers: servers.length,
      users: USERS,
      messages_per_user: MESSAGES,
      turns: turns.length,
      seconds,
      turns_per_second: latency.rps,
      turn_ms: { p50: latency.p50, p95: latency.p95, p99: latency.p99, max: Math.max(...turns.map((t) => t.ms)) },
      attempts: turns.reduce((n, t) => n + t.attempts, 0),
      retried,
      database,
      clean,
    },
  };
}

function report(r: RunResult): void {
  const d = r.database;
  console.log(
    `${r.servers} server(s): ${r.turns} turns in ${r.seconds.toFixed(1)} s = ${r.turns_per_second.toFixed(1)} turns/s; ` +
      `turn p50 ${ms(r.turn_ms.p50)} p95 ${ms(r.turn_ms.p95)} p99 ${ms(r.turn_ms.p99)} max ${ms(r.turn_ms.max)}; ` +
      `${r.attempts} attempts, retried ${JSON.stringify(r.retried)}`,
  );
  console.log(
    `  database: ${d.userRows} user + ${d.assistantRows} assistant rows for ${d.expectedTurns} turns; lost ${d.lost}, ` +
      `duplicated ${d.duplicated}, out of order ${d.outOfOrder}, unanswered ${d.unanswered}, ` +
      `conversation errors ${d.conversationErrors} → ${r.clean ? 'CLEAN' : 'PROBLEMS'}`,
  );
  for (const p of d.problems) console.log(`  - ${p}`);
}

const env = {
  DATABASE_URL,
  BETTER_AUTH_SECRET: SECRET,
  RATE_LIMIT_PER_MINUTE: '0',
  ...(POOL_MAX ? { DATABASE_POOL_MAX: POOL_MAX } : {}),
};
const results: RunResult[] = [];
const everyone: SimulatedUser[] = [];
try {
  for (const count of SERVERS) {
    const servers: Child[] = [];
    try {
      for (let i = 0; i < count; i++) servers.push(await startProcess(['dist/server/main.js'], env));
      const { result, users } = await run(servers);
      everyone.push(...users);
      results.push(result);
      report(result);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  }
} finally {
  if (!process.env.KEEP) await removeUsers(db, everyone);
  await db.destroy();
}
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  `bench/results/load-chat${POOL_MAX ? `-pool${POOL_MAX}` : ''}.json`,
  JSON.stringify({ at: new Date().toISOString(), pool_max: POOL_MAX ? Number(POOL_MAX) : 10, runs: results }, null, 2),
);
process.exitCode = results.length === SERVERS.length && results.every((r) => r.clean) ? 0 : 1;
