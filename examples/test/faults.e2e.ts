/**
 * What a user sees when things go wrong: the server goes away mid-conversation and comes back, the
 * browser goes offline, the session expires. The server runs with a known BETTER_AUTH_SECRET (as a real
 * deployment does), so tokens stay valid across a restart; the host page is a minimal embed served on the
 * server's own origin by the browser (`page.route`), with a tokenProvider the test chooses.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  Api,
  launchBrowser,
  newContext,
  send,
  signToken,
  startServer,
  tempDataDir,
  TEST_TIMEOUT_MS,
  waitForAnswers,
  waitForMessages,
  WAIT_MS,
  type ServerProcess,
} from './harness.js';

/** The smallest real embed: the script tag, the element, a tokenProvider; events are recorded for the test. */
function hostPage(token: string): string {
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" /><title>host</title></head>
  <body style="margin: 0">
    <todo-chat style="height: 100vh"></todo-chat>
    <script src="/todo-chat.js"></script>
    <script>
      window.events = [];
      const chat = document.querySelector('todo-chat');
      for (const name of ['todo-chat-ready', 'todo-chat-auth-required', 'todo-chat-error']) {
        chat.addEventListener(name, (event) => window.events.push({ name, message: event.detail && event.detail.message }));
      }
      chat.tokenProvider = () => ${JSON.stringify(token)};
    </script>
  </body>
</html>`;
}

async function openHost(context: BrowserContext, server: ServerProcess, token: string): Promise<Page> {
  const page = await context.newPage();
  const url = `${server.url}/e2e-host.html`;
  await page.route(url, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: hostPage(token) }));
  await page.goto(url);
  return page;
}

const eventFired = (page: Page, name: string) =>
  page.waitForFunction((n) => (window as unknown as { events: { name: string }[] }).events.some((e) => e.name === n), name, {
    timeout: WAIT_MS,
  });

describe('faults a user can run into', { timeout: TEST_TIMEOUT_MS * 4 }, () => {
  const secret = randomBytes(32).toString('base64url');
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let server: ServerProcess;
  let browser: Browser;

  before(async () => {
    data = await tempDataDir();
    [server, browser] = await Promise.all([startServer({ dataDir: data.dir, secret }), launchBrowser()]);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await data?.remove();
  });

  test('the server stops mid-conversation: a friendly error, Retry, the text kept; after a restart Retry sends it once', { timeout: TEST_TIMEOUT_MS }, async () => {
    const userId = `e2e-${randomUUID()}`;
    const context = await newContext(browser);
    try {
      const page = await openHost(context, server, await signToken(secret, userId));
      await eventFired(page, 'todo-chat-ready');
      await send(page, 'add task before the outage');
      await waitForAnswers(page, 1);

      await server.stop();
      await send(page, 'add task during the outage');
      await waitForMessages(
        page,
        (m) => m.length === 3 && m[2]!.status === 'failed' && m[2]!.text === 'add task during the outage',
        'the message marked as failed, its text kept',
      );
      const failure = page.locator('todo-chat .failure');
      await failure.getByText('Unable to connect. Please try again.').waitFor();

      // Back on the same address and database.
      server = await startServer({ dataDir: data.dir, secret, port: server.port });
      await failure.getByRole('button', { name: 'Retry' }).click();
      const seen = await waitForAnswers(page, 2);
      assert.equal(seen[2]!.text, 'add task during the outage');

      const api = await Api.forUser(server, userId);
      const stored = await api.allMessages();
      assert.deepEqual(
        stored.filter((m) => m.role === 'user').map((m) => m.content),
        ['add task before the outage', 'add task during the outage'],
        'the retried message is stored exactly once',
      );
      assert.equal(stored.length, 4);
      assert.deepEqual((await api.tasks()).map((t) => t.title).sort(), ['before the outage', 'during the outage']);
    } finally {
      await context.close();
    }
  });

  test('offline: a notice, messages wait, and go out once and in order when the browser is back', { timeout: TEST_TIMEOUT_MS }, async () => {
    const userId = `e2e-${randomUUID()}`;
    const context = await newContext(browser);
    try {
      const page = await openHost(context, server, await signToken(secret, userId));
      await eventFired(page, 'todo-chat-ready');

      await context.setOffline(true);
      await page.getByText("You're offline. We'll send your message when you're back.").waitFor();
      await send(page, 'add task offline one', 'enter');
      await send(page, 'add task offline two', 'button');
      await waitForMessages(
        page,
        (m) => m.length === 2 && m.every((x) => x.role === 'user' && x.status === 'queued'),
        'both messages waiting',
      );
      await page.locator('todo-chat').getByText('Waiting for a connection…').first().waitFor();
      const api = await Api.forUser(server, userId);
      assert.deepEqual(await api.allMessages(), [], 'nothing reached the server while offline');

      await context.setOffline(false);
      const seen = await waitForAnswers(page, 2);
      assert.deepEqual(
        seen.map((m) => [m.role, m.role === 'user' ? m.text : '']),
        [
          ['user', 'add task offline one'],
          ['assistant', ''],
          ['user', 'add task offline two'],
          ['assistant', ''],
        ],
      );
      const stored = await api.allMessages();
      assert.deepEqual(
        stored.map((m) => (m.role === 'user' ? m.content : m.role)),
        ['add task offline one', 'assistant', 'add task offline two', 'assistant'],
        'sent once each, in order',
      );
      await page.getByText("You're offline.").waitFor({ state: 'hidden' });
    } finally {
      await context.close();
    }
  });

  test('an expired session: todo-chat-auth-required fires and the user is told to sign in', { timeout: TEST_TIMEOUT_MS }, async () => {
    const userId = `e2e-${randomUUID()}`;
    const context = await newContext(browser);
    try {
      // Correctly signed with the server's secret, but expired an hour ago.
      const expired = await signToken(secret, userId, Math.floor(Date.now() / 1000) - 3600);
      const page = await openHost(context, server, expired);
      await eventFired(page, 'todo-chat-auth-required');
      await page.locator('todo-chat [role="alert"]').getByText('Your session has expired. Please sign in again.').waitFor();

      // A message typed now is kept, with the same sentence, and nothing is stored.
      await send(page, 'add task while signed out');
      await waitForMessages(page, (m) => m.length === 1 && m[0]!.status === 'failed' && m[0]!.text === 'add task while signed out', 'the message kept');
      await page.locator('todo-chat .failure').getByText('Please sign in again.').waitFor();
      assert.deepEqual(await (await Api.forUser(server, userId)).allMessages(), []);
    } finally {
      await context.close();
    }
  });
});
