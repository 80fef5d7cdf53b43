/**
 * US1/US2 on the demo page (`npm start`'s `/`): a user chats, reloads and finds every message (SC-004),
 * starts a new conversation and goes back to the first one.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  Api,
  demoUser,
  newContext,
  openDemo,
  seenMessages,
  send,
  TEST_TIMEOUT_MS,
  waitForAnswers,
  waitForMessages,
  type ServerProcess,
  useDemoServerAndBrowser,
} from './harness.js';

describe('chatting on the demo page', { timeout: TEST_TIMEOUT_MS * 2 }, () => {
  let server: ServerProcess;
  let browser: Browser;
  useDemoServerAndBrowser((env) => ({ server, browser } = env));

  const part = (page: Page, name: string) => page.locator(`todo-chat [part~="${name}"]`);

  test('a user sends, reloads to the same history, starts a new conversation and switches back', { timeout: TEST_TIMEOUT_MS }, async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await openDemo(page, server.url);

      // A first visit: the host's greeting and prompts, no messages.
      await part(page, 'empty-state').waitFor();
      await page.getByText('Hi! I keep your todo list').waitFor();
      assert.deepEqual(await seenMessages(page), []);

      // Hold the first answer at the network so the typing indicator can be seen for sure.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      // Resolves once the held request has been passed on (so `unroute` never races the handler).
      let passOn!: (continued: Promise<void>) => void;
      const passedOn = new Promise<void>((resolve) => (passOn = resolve));
      await page.route('**/api/*/chat', (route) => {
        const continued = held.then(() => route.continue());
        passOn(continued);
        return continued;
      });
      await send(page, 'add task buy milk', 'enter');
      await waitForMessages(page, (m) => m.length >= 1 && m[0]!.role === 'user' && m[0]!.text === 'add task buy milk', 'my message on screen at once');
      await part(page, 'typing-indicator').waitFor({ state: 'visible' });
      assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), '', 'the box is cleared after sending');
      release();
      await passedOn;
      await page.unroute('**/api/*/chat');

      const first = await waitForAnswers(page, 1);
      assert.match(first[1]!.text, /Added buy milk/);
      await part(page, 'typing-indicator').waitFor({ state: 'hidden' });
      // The host page refreshed its own list on todo-chat-tasks-changed.
      await page.locator('#tasks li', { hasText: 'buy milk' }).waitFor();

      await send(page, 'show my tasks', 'button');
      const shown = await waitForAnswers(page, 2);
      assert.match(shown[3]!.text, /buy milk/);

      // SC-004: after a reload every message is back, in order, word for word.
      await page.reload();
      await page.waitForFunction(() => (window as { __ready?: boolean }).__ready === true);
      assert.deepEqual(await waitForAnswers(page, 2), shown);
      const api = await Api.forUser(server, await demoUser(page));
      const stored = await api.allMessages();
      assert.deepEqual(stored.map((m) => m.role), shown.map((m) => m.role), 'the screen shows what is stored, in order');
      assert.deepEqual(stored.filter((m) => m.role === 'user').map((m) => m.content), ['add task buy milk', 'show my tasks']);

      // A new conversation starts empty; its first message saves it.
      await part(page, 'new-conversation').click();
      await part(page, 'empty-state').waitFor();
      await send(page, 'add task call mom');
      const second = await waitForAnswers(page, 1);
      assert.equal(second[0]!.text, 'add task call mom');
      await waitForCount(page, 'todo-chat li.conversation', 2);

      // Back to the first conversation: all of it, nothing of the second.
      await page.locator('todo-chat li.conversation:not(.active) button.open').click();
      await waitForMessages(page, (m) => JSON.stringify(m) === JSON.stringify(shown), 'the first conversation again');

      const { conversations } = await api.conversations();
      assert.equal(conversations.length, 2);
      assert.equal((await api.allMessages()).length, 6, 'every message stored once');
    } finally {
      await context.close();
    }
  });
});

/** Waits for the `count`th match, then checks there is no more. */
async function waitForCount(page: Page, selector: string, count: number): Promise<void> {
  await page.locator(selector).nth(count - 1).waitFor();
  assert.equal(await page.locator(selector).count(), count);
}
