// The npm-import example, as a user runs it: its dev server (resolving `todo-chat/define` by package name),
// the real chat server from the build (`dist/server/main.js`, demo mode, CORS open to the example's origin),
// and Debian's Chromium. Needs `npm run build` first (`pretest` does it).
//   node --import tsx --test examples/test/npm-import.test.ts
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type DevServerConfig, startDevServer } from '@web/dev-server';
import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_ARGS as CHROME_FLAGS, CHROMIUM_PATH } from '../../widget/test/chromium.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

let devServer: Awaited<ReturnType<typeof startDevServer>>;
let chatServer: ChildProcess;
let chatUrl: string;
let exampleUrl: string;
let browser: Browser;
let dataDir: string | undefined;

before(async () => {
  // The example's own dev server config (a plain .mjs file), on a random port.
  const configUrl = new URL('../npm-import/web-dev-server.config.mjs', import.meta.url).href;
  const { default: exampleConfig } = (await import(configUrl)) as { default: DevServerConfig };
  devServer = await startDevServer({
    config: { ...exampleConfig, port: 0, hostname: '127.0.0.1', open: false, watch: false },
    readCliArgs: false,
    readFileConfig: false,
    autoExitProcess: false,
    logStartMessage: false,
  });
  const origin = `http://127.0.0.1:${(devServer.server!.address() as AddressInfo).port}`;

  // The server as `npx todo-chat-server` runs it. Without DATABASE_URL it uses its embedded database, here
  // in a fresh directory; with it (CI), the shared test database, where demo users are always new ids.
  if (!process.env.DATABASE_URL) dataDir = await mkdtemp(join(tmpdir(), 'todo-chat-example-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', CORS_ORIGINS: origin };
  // Demo mode and the built-in assistant, whatever the caller's shell has configured.
  for (const name of ['BETTER_AUTH_SECRET', 'AUTH_JWKS_URL', 'NODE_ENV', 'OPENAI_API_KEY', 'TASKS_API_URL', 'LOG_LEVEL']) {
    delete env[name];
  }
  if (dataDir) env.DATA_DIR = dataDir;
  chatServer = spawn(process.execPath, [join(root, 'dist/server/main.js')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  chatUrl = await listeningUrl(chatServer);

  exampleUrl = `${origin}/examples/npm-import/?server=${encodeURIComponent(chatUrl)}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROME_FLAGS,
  });
});

after(async () => {
  await browser?.close();
  await devServer?.stop();
  if (chatServer?.exitCode === null) {
    const exited = new Promise((resolve) => chatServer.once('exit', resolve));
    chatServer.kill('SIGTERM');
    await exited;
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The `url` of the server's "listening" log line (pino JSON on stdout), or the reason it did not start. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { url?: string };
        if (entry.url) resolve(entry.url);
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`the chat server exited with ${code} before listening`)));
  });
}

const name = 'the npm-import example imports the element by name and refreshes its task list after a chat';
test(name, { timeout: 180_000 }, async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(exampleUrl);

    // Registered from `import 'todo-chat/define'`, configured, and the host's first read of the list is done.
    const status = page.locator('#tasks-status');
    await status.getByText('Nothing yet').waitFor({ timeout: 60_000 });
    assert.equal(await page.evaluate(() => customElements.get('todo-chat')?.name), 'TodoChat');
    assert.match((await page.locator('#user').textContent()) ?? '', /^Signed in as demo-/);

    // The user asks the assistant; the host's own list (outside the element) shows the new task.
    const composer = page.locator('todo-chat').getByRole('textbox');
    await composer.fill('add task buy milk');
    await composer.press('Enter');
    await page.locator('#tasks li').filter({ hasText: /buy milk/i }).waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#tasks li').count(), 1);
    assert.equal(await status.textContent(), '');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
