// PostgreSQL stops for a few seconds while users chat, then starts again; the server is not restarted.
// Shows: requests fail with 503 {error, detail} while it is down and succeed afterwards; a turn the outage
// cut is marked in the database (turn_state 'failed', or 'running' until its lease runs out) and the
// user's retry with the same client_message_id answers it exactly once.
//
// It runs its OWN PostgreSQL cluster (initdb into a temp dir, a free port), because restarting the shared
// one would break everyone else's tests; the cluster is removed at the end.
// Run (as root, PostgreSQL 15 binaries installed): npm run build && node --import tsx bench/fault-restart.ts
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { checkDatabase, isClean, SimulatedUser, type Attempt } from './load-client.js';
import { freePort, SECRET, startProcess, summarize, ms } from './lib.js';

const USERS = Number(process.env.USERS ?? 40);
const BEFORE_MS = 4_000;
const DOWN_MS = 5_000;
const AFTER_MS = 6_000;
/** Short, so that a turn left 'running' by the outage is retried within the bench (lease = this + 5 s). */
const AGENT_TIMEOUT_MS = 3_000;
const BIN = '/usr/lib/postgresql/15/bin';

const dir = mkdtempSync(join(tmpdir(), 'todo-chat-fault-'));
const data = join(dir, 'data');
const port = await freePort();
// Asynchronous, so the simulated users keep sending while PostgreSQL stops and starts.
const asPostgres = async (tool: string, args: string[]) =>
  (await promisify(execFile)('runuser', ['-u', 'postgres', '--', join(BIN, tool), ...args])).stdout;
const pgStart = () =>
  asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'postgres.log'), '-w', '-o', `-p ${port} -k /tmp -c listen_addresses=127.0.0.1`, 'start']);
const pgStop = (mode = 'fast') => asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);

type Phase = 'before' | 'down' | 'restarting' | 'after' | 'finishing';
let phase: Phase = 'before';
let resume: () => void = () => {};
let held: Promise<void> = Promise.resolve();
const attempts: (Attempt & { phase: Phase })[] = [];
const okByPhase: Record<string, number> = {};
const probes: { phase: Phase; path: string; status: number | 'network' }[] = [];

let server: Awaited<ReturnType<typeof startProcess>> | undefined;
let db: ReturnType<typeof knexFactory> | undefined;
let clusterUp = false;
let firstAnswerAfter: number | undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

try {
  mkdirSync(data);
  chownSync(dir, uidOf('postgres'), gidOf('postgres'));
  chownSync(data, uidOf('postgres'), gidOf('postgres'));
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  await pgStart();
  clusterUp = true;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  server = await startProcess(['dist/server/main.js'], {
    DATABASE_URL: url,
    BETTER_AUTH_SECRET: SECRET,
    RATE_LIMIT_PER_MINUTE: '0',
    AGENT_TIMEOUT_MS: String(AGENT_TIMEOUT_MS),
  });
  const serverPid = server.process.pid;
  const base = server.url;
  db = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 2 } });

  const users = await Promise.all(Array.from({ length: USERS }, (_, i) => new SimulatedUser(`fault-${i}`, () => base).signIn()));
  const hooks = {
    deadline: Date.now() + 5 * 60_000,
    // While the bench reads the database right after the restart, nobody retries yet.
    beforeAttempt: () => held,
    onFailure: (a: Attempt) => void attempts.push({ ...a, phase }),
  };
  const traffic = Promise.allSettled(
    users.map(async (user) => {
      for (let n = 1; phase !== 'finishing'; n++) {
        await user.send(`fault turn ${n} from ${user.id}`, hooks);
        okByPhase[phase] = (okByPhase[phase] ?? 0) + 1;
        if (phase === 'after') firstAnswerAfter ??= performance.now();
      }
    }),
  );
  const probe = async (path: string) => {
    const status = await fetch(base + path).then((r) => r.status, () => 'network' as const);
    probes.push({ phase, path, status });
  };

  await sleep(BEFORE_MS);
  const stopped = performance.now();
  phase = 'down';
  await pgStop('fast');
  console.log(`PostgreSQL stopped (fast) after ${BEFORE_MS / 1000} s of load`);
  for (const end = Date.now() + DOWN_MS; Date.now() < end; await sleep(500)) await Promise.all([probe('/readyz'), probe('/healthz')]);

  phase = 'restarting';
  held = new Promise((resolve) => (resume = resolve));
  await pgStart();
  const restarted = performance.now();
  const downSeconds = (performance.now() - stopped) / 1000;
  console.log(`PostgreSQL started again after ${downSeconds.toFixed(1)} s; retries held while the database is read`);
  // Turns the outage cut, as the database holds them before anyone retries.
  const cut: { id: string; user_id: string; turn_state: string; lease_expired: boolean }[] = (
    await db.raw(
      `select u.id, u.user_id, u.turn_state, coalesce(u.turn_lease_until < now(), true) as lease_expired
       from message u where u.role = 'user'
       and not exists (select 1 from message r where r.reply_to = u.id)`,
    )
  ).rows;
  phase = 'after';
  resume();
  held = Promise.resolve();
  await probe('/readyz');
  await sleep(AFTER_MS);
  phase = 'finishing';
  const outcomes = await traffic;
  const unfinished = outcomes.filter((o) => o.status === 'rejected');

  const check = await checkDatabase(db, users);
  const cutIds = new Set(cut.map((c) => c.id));
  const answeredOnce = users.flatMap((u) => u.sent).filter((t) => cutIds.has(t.userMessageId));
  const stillRunning = server.process.exitCode === null && server.process.pid === serverPid;

  const down = attempts.filter((a) => a.phase === 'down');
  const downStatuses = count(down.map(label));
  const wellFormed503 = down.filter(
    (a) => a.status === 503 && typeof (a.body as { error?: unknown })?.error === 'string' &&
      typeof (a.body as { detail?: unknown })?.detail === 'string',
  ).length;
  const failuresByPhase = Object.fromEntries(
    (['restarting', 'after', 'finishing'] as const).map((p) => [p, count(attempts.filter((a) => a.phase === p).map(label))]),
  );
  const turns = users.flatMap((u) => u.sent);
  const latency = summarize(turns.map((t) => t.ms), 1);

  const result = {
    at: new Date().toISOString(),
    users: USERS,
    outage_seconds: downSeconds,
    server_restarted: !stillRunning,
    failed_attempts_while_down: down.length,
    while_down_by_status: downStatuses,
    well_formed_503_while_down: wellFormed503,
    example_503_body: down.find((a) => a.status === 503)?.body,
    probes_while_down: count(probes.filter((p) => p.phase === 'down').map((p) => `${p.path} ${p.status}`)),
    readyz_after_restart: probes.filter((p) => p.phase !== 'down').map((p) => p.status),
    answered_by_phase: okByPhase,
    failed_attempts_after_restart: failuresByPhase,
    turns_answered: turns.length,
    turn_ms_with_retries: { p50: latency.p50, p95: latency.p95, max: Math.max(...turns.map((t) => t.ms)) },
    cut_turns_at_restart: count(cut.map((c) => `${c.turn_state}${c.turn_state === 'running' ? (c.lease_expired ? ' (lease expired)' : ' (lease active)') : ''}`)),
    cut_turns_answered_once_by_retry: answeredOnce.length,
    users_unfinished: unfinished.length,
    database: check,
    first_answer_after_restart_ms: firstAnswerAfter === undefined ? null : firstAnswerAfter - restarted,
    clean: isClean(check) && unfinished.length === 0 && stillRunning && down.length > 0 && wellFormed503 === down.filter((a) => a.status === 503).length &&
      down.every((a) => a.status === 503) && answeredOnce.length === cut.length,
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(`turn p50 ${ms(latency.p50)} p95 ${ms(latency.p95)} → ${result.clean ? 'CLEAN' : 'PROBLEMS'}`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/fault-restart.json', JSON.stringify(result, null, 2));
  process.exitCode = result.clean ? 0 : 1;
} finally {
  resume();
  await db?.destroy();
  await server?.stop();
  if (clusterUp) {
    try {
      await pgStop('immediate');
    } catch {
      // already stopped
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

function label(a: Attempt): string {
  return `${a.status}${a.code ? ` ${a.code}` : ''}`;
}

function count(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}

function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user]).toString().trim());
}
