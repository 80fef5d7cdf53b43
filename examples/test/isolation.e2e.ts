/**
 * SC-006: two people on the demo page, in two browser profiles, never see each other's conversations or
 * tasks, not even by asking for the other's conversation id.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  Api,
  demoUser,
  newContext,
  openDemo,
  send,
  TEST_TIMEOUT_MS,
  waitForAnswers,
  type ServerProcess,
  useDemoServerAndBrowser,
} from './harness.js';

/** Everything a person can read on the page, the element's shadow DOM included. */
function everythingOnScreen(page: Page): Promise<string> {
  return page.evaluate(() => {
    const chat = document.querySelector('todo-chat');
    return `${document.body.innerText}\n${chat?.shadowRoot?.textContent ?? ''}`;
  });
}

describe('two users on one server', { timeout: TEST_TIMEOUT_MS * 2 }, () => {
  let server: ServerProcess;
  let browser: Browser;
  useDemoServerAndBrowser((env) => ({ server, browser } = env));

  test('never see each other’s conversations or tasks (SC-006)', { timeout: TEST_TIMEOUT_MS }, async () => {
    const [alice, bob] = await Promise.all([newContext(browser), newContext(browser)]);
    try {
      const pageA = await alice.newPage();
      const pageB = await bob.newPage();
      await Promise.all([openDemo(pageA, server.url), openDemo(pageB, server.url)]);
      const [userA, userB] = await Promise.all([demoUser(pageA), demoUser(pageB)]);
      assert.ok(userA && userB && userA !== userB, 'each browser profile is its own demo user');

      const secretA = `alpha ${randomUUID().slice(0, 8)}`;
      const secretB = `bravo ${randomUUID().slice(0, 8)}`;
      await Promise.all([send(pageA, `add task ${secretA}`), send(pageB, `add task ${secretB}`)]);
      await Promise.all([waitForAnswers(pageA, 1), waitForAnswers(pageB, 1)]);
      await pageA.locator('#tasks li', { hasText: secretA }).waitFor();
      await pageB.locator('#tasks li', { hasText: secretB }).waitFor();

      // After a reload each sees their own conversation, list and tasks, and nothing of the other's.
      await Promise.all([pageA.reload(), pageB.reload()]);
      for (const [page, mine, theirs] of [
        [pageA, secretA, secretB],
        [pageB, secretB, secretA],
      ] as const) {
        await page.waitForFunction(() => (window as { __ready?: boolean }).__ready === true);
        await waitForAnswers(page, 1);
        await page.locator('#tasks li', { hasText: mine }).waitFor();
        assert.equal(await page.locator('todo-chat li.conversation').count(), 1, 'only my own conversation is listed');
        const text = await everythingOnScreen(page);
        assert.ok(text.includes(mine));
        assert.ok(!text.includes(theirs), `the other user's "${theirs}" is nowhere on the page`);
      }

      // Bob asks for Alice's conversation by id: "not found", and none of her words.
      const apiA = await Api.forUser(server, userA);
      const apiB = await Api.forUser(server, userB);
      const [conversationA] = (await apiA.conversations()).conversations;
      assert.ok(conversationA);
      await pageB.evaluate((id) => document.querySelector('todo-chat')!.setAttribute('conversation-id', id), conversationA.id);
      await pageB.getByText('Conversation not found. It may have been deleted.').waitFor();
      assert.ok(!(await everythingOnScreen(pageB)).includes(secretA));

      // And the server agrees: each user's data holds only their own words.
      await assert.rejects(apiB.conversation(conversationA.id), /answered 404/);
      assert.deepEqual((await apiA.tasks()).map((t) => t.title), [secretA]);
      assert.deepEqual((await apiB.tasks()).map((t) => t.title), [secretB]);
      assert.deepEqual((await apiB.allMessages()).filter((m) => m.role === 'user').map((m) => m.content), [`add task ${secretB}`]);
    } finally {
      await Promise.all([alice.close(), bob.close()]);
    }
  });
});
