/**
 * The end-to-end harness: the real server process (`node dist/server/main.js`, as `npm start` runs it),
 * Debian's Chromium driven by playwright-core, and a few helpers that read what a user sees inside
 * `<todo-chat>` and what the server stored. No part of todo-chat is faked.
 *
 *   npm run build && npm run test:e2e                    (embedded PGlite in a temp directory)
 *   DATABASE_URL=postgres://… npm run test:e2e           (that PostgreSQL)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { ConversationDetail, ConversationList, TaskList } from '../../server/src/contract.js';
import { CHROMIUM_ARGS as CHROME_FLAGS, CHROMIUM_PATH } from '../../widget/test/chromium.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Screenshots land here (gitignored), as CI artefacts. */
export const resultsDir = join(root, 'test-results', 'e2e');

/** Two shared cores and a busy machine: waits are generous, and every wait is on a condition. */
export const WAIT_MS = 60_000;
export const TEST_TIMEOUT_MS = 240_000;


// ── the server ────────────────────────────────────────────────────────────────────────────────────

export interface ServerOptions {
  /** A fixed secret turns demo mode off (no `/` page, no `/demo/token`); tests then sign tokens themselves. */
  secret?: string;
  /** Listen here (a restart on the same address); 0 picks a free port. */
  port?: number;
  /** The embedded database's directory, kept across a restart. Ignored when DATABASE_URL is set. */
  dataDir: string;
}

export interface ServerProcess {
  url: string;
  port: number;
  secret?: string;
  /** SIGTERM (graceful drain) and wait for the process to exit. */
  stop(): Promise<void>;
}

/** A temp directory for PGlite; removed by the returned function. */
export async function tempDataDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-chat-e2e-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Starts the built entry point and resolves once it has logged the address it listens on. */
export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  const main = join(root, 'dist', 'server', 'main.js');
  if (!existsSync(main)) throw new Error('dist/server/main.js is missing: run `npm run build` first.');
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(options.port ?? 0),
      LOG_LEVEL: 'info', // the "listening" line carries the URL
      RATE_LIMIT_PER_MINUTE: '0',
      DATA_DIR: options.dataDir,
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
      ...(options.secret ? { BETTER_AUTH_SECRET: options.secret } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // If the test process dies first (a crash, Ctrl-C), take the server with it rather than leave it listening.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  void exited.then(() => process.off('exit', orphanGuard));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${WAIT_MS} ms:\n${output}`));
    }, WAIT_MS);
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        output += line + '\n';
        const found = /"url":"(http:[^"]+)"/.exec(line)?.[1];
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      });
    }
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the server exited before listening:\n${output}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    secret: options.secret,
    stop: () => stopProcess(child, exited),
  };
}

async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), WAIT_MS);
  await exited;
  clearTimeout(killer);
}

/**
 * A demo-mode server on its own data dir and a browser for the enclosing suite, stopped after it;
 * `ready` receives them once they run.
 */
export function useDemoServerAndBrowser(ready: (env: { server: ServerProcess; browser: Browser }) => void): void {
  let data: Awaited<ReturnType<typeof tempDataDir>> | undefined;
  let env: { server: ServerProcess; browser: Browser } | undefined;
  before(async () => {
    data = await tempDataDir();
    const [server, browser] = await Promise.all([startServer({ dataDir: data.dir }), launchBrowser()]);
    env = { server, browser };
    ready(env);
  });
  after(async () => {
    await env?.browser.close();
    await env?.server.stop();
    await data?.remove();
  });
}

// ── the browser ───────────────────────────────────────────────────────────────────────────────────

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROME_FLAGS,
    timeout: WAIT_MS,
  });
}

/**
 * A fresh browser profile (its own localStorage, so its own demo user). `bypassCSP` only lets the tests
 * inject axe-core into the demo page, whose CSP allows nothing but its own nonce'd scripts.
 */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true, ...options });
  context.setDefaultTimeout(WAIT_MS);
  return context;
}

/** The demo page, once `<todo-chat>` has restored its state (`todo-chat-ready`). */
export async function openDemo(page: Page, serverUrl: string): Promise<void> {
  await page.addInitScript(() => {
    addEventListener('todo-chat-ready', () => ((window as { __ready?: boolean }).__ready = true));
  });
  await page.goto(serverUrl);
  await page.waitForFunction(() => (window as { __ready?: boolean }).__ready === true, undefined, { timeout: WAIT_MS });
}

/** The demo user this page signed in as (the demo page remembers it in localStorage). */
export function demoUser(page: Page): Promise<string> {
  return page.evaluate(() => localStorage.getItem('todo-chat-demo-user') ?? '');
}

// ── what the user sees ────────────────────────────────────────────────────────────────────────────

export interface SeenMessage {
  role: 'user' | 'assistant';
  text: string;
  /** sending | queued | failed | streaming | sent */
  status: string;
}

/** The messages on screen, top to bottom, as text. */
export function seenMessages(page: Page): Promise<SeenMessage[]> {
  return page.evaluate(() => {
    const rows = [...(document.querySelector('todo-chat')?.shadowRoot?.querySelectorAll<HTMLElement>('.row') ?? [])];
    return rows
      .map((row) => ({ row, top: row.getBoundingClientRect().top }))
      .sort((a, b) => a.top - b.top)
      .map(({ row }) => {
        const bubble = row.querySelector('.message')!;
        const role = bubble.classList.contains('user') ? ('user' as const) : ('assistant' as const);
        const status = ['sending', 'queued', 'failed', 'streaming', 'sent'].find((s) => bubble.classList.contains(s)) ?? '';
        const text = (bubble.querySelector('.plain, .md')?.textContent ?? '').trim();
        return { role, text, status };
      });
  });
}

/** Waits until the messages on screen satisfy `check` (and returns them). */
export async function waitForMessages(
  page: Page,
  check: (messages: SeenMessage[]) => boolean,
  what: string,
): Promise<SeenMessage[]> {
  return eventually(async () => {
    const messages = await seenMessages(page);
    return check(messages) ? messages : undefined;
  }, `${what} (on screen: ${JSON.stringify(await seenMessages(page).catch(() => []))})`);
}

/** Waits for the answer to `count` user messages to be on screen, all sent. */
export function waitForAnswers(page: Page, count: number): Promise<SeenMessage[]> {
  return waitForMessages(
    page,
    (m) => m.length === count * 2 && m.every((x) => x.status === 'sent') && m.at(-1)!.role === 'assistant',
    `${count} answered messages`,
  );
}

/** Types into the message box (as a user does, key by key) and sends with Enter or the Send button. */
export async function send(page: Page, text: string, how: 'enter' | 'button' = 'enter'): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.click();
  await box.pressSequentially(text);
  if (how === 'enter') await box.press('Enter');
  else await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/** Polls `check` until it returns something truthy; for conditions no DOM event announces. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`, { cause: lastError });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

// ── what the server stored ────────────────────────────────────────────────────────────────────────

/** Reads a user's data through the public API, with a token from the demo endpoint or the known secret. */
export class Api {
  private constructor(
    private readonly serverUrl: string,
    readonly userId: string,
    private readonly token: string,
  ) {}

  static async forUser(server: ServerProcess, userId: string): Promise<Api> {
    const token = server.secret ? await signToken(server.secret, userId) : await demoToken(server.url, userId);
    return new Api(server.url, userId, token);
  }

  conversations(): Promise<ConversationList> {
    return this.get('/conversations?limit=100');
  }

  conversation(id: string): Promise<ConversationDetail> {
    return this.get(`/conversations/${id}`);
  }

  async tasks(): Promise<TaskList['tasks']> {
    return (await this.get<TaskList>('/tasks')).tasks;
  }

  /** Every message of every conversation of the user, oldest conversation first. */
  async allMessages(): Promise<{ role: string; content: string }[]> {
    const { conversations } = await this.conversations();
    const details = await Promise.all([...conversations].reverse().map((c) => this.conversation(c.id)));
    return details.flatMap((d) => d.messages.map(({ role, content }) => ({ role, content })));
  }

  /** A chat turn straight through the API, to set up history quickly. */
  async chat(message: string, conversationId?: string): Promise<string> {
    const body = await this.request<{ conversation_id: string }>('/chat', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ message, ...(conversationId ? { conversation_id: conversationId } : {}) }),
    });
    return body.conversation_id;
  }

  private get<T>(path: string): Promise<T> {
    return this.request<T>(path, {});
  }

  private async request<T>(path: string, init: RequestInit): Promise<T> {
    const response = await fetch(`${this.serverUrl}/api/${encodeURIComponent(this.userId)}${path}`, {
      ...init,
      headers: { ...init.headers, Authorization: `Bearer ${this.token}` },
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
}

async function demoToken(serverUrl: string, userId: string): Promise<string> {
  const response = await fetch(`${serverUrl}/demo/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user_id: userId }),
  });
  if (!response.ok) throw new Error(`POST /demo/token answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** An HS256 token as Better Auth's shared-secret setup makes it; `expiresAt` in epoch seconds. */
export function signToken(secret: string, userId: string, expiresAt: number | string = '1h'): Promise<string> {
  return new SignJWT({ name: userId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt(typeof expiresAt === 'number' ? expiresAt - 3600 : undefined)
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));
}
