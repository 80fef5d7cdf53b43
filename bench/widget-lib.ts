// Shared set-up of the widget benchmarks: the REAL server (the built `dist/server/main.js`, demo mode, on
// PostgreSQL so conversations can be seeded in SQL), Debian's Chromium through playwright-core, and the demo
// page at `/`, which loads `/todo-chat.js` (the script-tag build) and signs in the user we choose.
// Every figure is taken inside the page (performance.now(), requestAnimationFrame), never by Node's clock.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import knex, { type Knex } from 'knex';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../widget/test/chromium.mjs';
import { DATABASE_URL, percentile, startProcess, type Child } from './lib.js';


/** How many times each measurement is repeated; the tables report the median of the runs. */
export const RUNS = Number(process.env.BENCH_RUNS ?? 5);

export const median = (values: number[]): number => percentile([...values].sort((a, b) => a - b), 50);

export interface Bench {
  server: Child;
  db: Knex;
  browser: Browser;
  /** Opens the demo page signed in as `userId` (the page keeps its user in localStorage), chat ready. */
  open(userId: string, size?: { width: number; height: number }): Promise<Page>;
  /** Seeds a conversation of `count` alternating user/assistant messages for `userId`; returns its id. */
  seed(userId: string, count: number): Promise<string>;
  close(): Promise<void>;
}

export const benchUser = (name: string) => `bench-widget-${name}-${randomUUID().slice(0, 8)}`;

export async function startBench(): Promise<Bench> {
  // No BETTER_AUTH_SECRET: demo mode, so `/` serves the demo page and POST /demo/token signs any user.
  const server = await startProcess(['dist/server/main.js'], {
    DATABASE_URL,
    RATE_LIMIT_PER_MINUTE: '0',
    NODE_ENV: 'development',
    BETTER_AUTH_SECRET: '',
  });
  const db = knex({ client: 'pg', connection: DATABASE_URL });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  const users = new Set<string>();

  return {
    server,
    db,
    browser,
    async open(userId, size = { width: 1280, height: 800 }) {
      users.add(userId);
      const context = await browser.newContext({ viewport: size });
      // tsx (esbuild keepNames) wraps named functions in page.evaluate callbacks with `__name(...)`.
      await context.addInitScript('globalThis.__name ??= (fn) => fn;');
      await context.addInitScript((id) => {
        localStorage.setItem('todo-chat-demo-user', id);
        document.addEventListener('todo-chat-ready', () => ((window as unknown as { benchReady: boolean }).benchReady = true));
      }, userId);
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
      await page.goto(server.url + '/');
      // Ready = the element restored the user's last conversation (`todo-chat-ready` bubbles out of it).
      await page.waitForFunction(() => (window as unknown as { benchReady?: boolean }).benchReady === true, undefined, { timeout: 60_000 });
      return page;
    },
    async seed(userId, count) {
      users.add(userId);
      const [{ id }] = await db('conversation').insert({ user_id: userId, title: `${count} messages`, message_count: count }).returning('id');
      // Realistic rows: short user lines, assistant replies with some Markdown, in order.
      await db.raw(
        `insert into message (user_id, conversation_id, role, content, turn_state)
         select ?, ?, case when g % 2 = 0 then 'user' else 'assistant' end,
                case when g % 2 = 0 then 'Add task number ' || g
                     else 'Added **task ' || g || '**. You now have:' || chr(10) || '- one thing' || chr(10) || '- another thing' end,
                case when g % 2 = 0 then 'done' else null end
         from generate_series(0, ? - 1) g`,
        [userId, id, count],
      );
      await db.raw('analyze message');
      return id as string;
    },
    async close() {
      await browser.close().catch(() => undefined);
      for (const user of users) await db('conversation').where({ user_id: user }).delete().catch(() => undefined);
      await db.destroy();
      await server.stop();
    },
  };
}

/** Prints an aligned table (first row is the header). */
export function table(rows: (string | number)[][]): void {
  const cells = rows.map((row) => row.map(String));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  for (const [n, row] of cells.entries()) {
    console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

export function writeResult(name: string, data: Record<string, unknown>): void {
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${name}.json`;
  writeFileSync(
    file,
    JSON.stringify({ at: new Date().toISOString(), machine: machine(), runs: RUNS, ...data }, null, 2) + '\n',
  );
  console.log(`wrote ${file}`);
}

/** The machine, and its load when the figures were taken (other suites may share it). */
function machine() {
  return { cpus: cpus().length, loadavg: loadavg().map((n) => Number(n.toFixed(2))), node: process.version };
}
