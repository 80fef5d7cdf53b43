/**
 * The demo page at phone, tablet and desktop widths (screenshots in test-results/e2e/), and axe-core on
 * the empty state, a long conversation and the open conversation drawer.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  Api,
  newContext,
  openDemo,
  screenshot,
  TEST_TIMEOUT_MS,
  waitForMessages,
  type ServerProcess,
  useDemoServerAndBrowser,
} from './harness.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** A demo user with history already stored, set up through the API (quicker than typing it). */
async function userWithHistory(server: ServerProcess, turns: string[]): Promise<string> {
  const userId = `e2e-${randomUUID()}`;
  const api = await Api.forUser(server, userId);
  let conversationId: string | undefined;
  for (const message of turns) conversationId = await api.chat(message, conversationId);
  return userId;
}

/** Opens the demo page signed in as `userId` (the demo page remembers its user in localStorage). */
async function openAs(page: Page, server: ServerProcess, userId?: string): Promise<void> {
  if (userId) await page.addInitScript((id) => localStorage.setItem('todo-chat-demo-user', id), userId);
  await openDemo(page, server.url);
}

/** axe-core's violations on the whole page (it walks open shadow roots), summarised for a readable failure. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    return (await axe.run(document)).violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.map((v) => `${v.id}: ${v.targets.join(', ')}`);
}

describe('layout and accessibility of the demo page', { timeout: TEST_TIMEOUT_MS * 3 }, () => {
  let server: ServerProcess;
  let browser: Browser;
  useDemoServerAndBrowser((env) => ({ server, browser } = env));

  test('320, 768 and 1920px: no horizontal scrolling, the message box in view without scrolling', { timeout: TEST_TIMEOUT_MS }, async () => {
    const userId = await userWithHistory(server, [
      'add task buy milk',
      // One long unbroken word: it must wrap, not widen the page.
      `add task call ${'https://example.com/a-very-long-address-with-no-place-to-break-it-'.repeat(2)}`,
      'show my tasks',
      'What can you do?',
    ]);
    for (const [width, height] of [
      [320, 640],
      [768, 1024],
      [1920, 1080],
    ] as const) {
      const context = await newContext(browser, { viewport: { width, height } });
      try {
        const page = await context.newPage();
        await openAs(page, server, userId);
        await waitForMessages(page, (m) => m.length > 0 && m.at(-1)!.role === 'assistant' && m.at(-1)!.status === 'sent', 'the history');
        await screenshot(page, `demo-${width}`);

        const layout = await page.evaluate(() => {
          const root = document.querySelector('todo-chat')!.shadowRoot!;
          const overflowing = [document.documentElement, ...root.querySelectorAll<HTMLElement>('.base, .main, .log, .composer')]
            .filter((element) => element.scrollWidth > element.clientWidth + 1)
            .map((element) => `${element.localName}.${element.className} ${element.scrollWidth} > ${element.clientWidth}`);
          const composer = root.querySelector('.composer')!.getBoundingClientRect();
          return { overflowing, scrollY: window.scrollY, innerHeight, innerWidth, composer: { top: composer.top, bottom: composer.bottom, right: composer.right } };
        });
        assert.deepEqual(layout.overflowing, [], `nothing scrolls sideways at ${width}px`);
        assert.equal(layout.scrollY, 0);
        assert.ok(layout.composer.top >= 0 && layout.composer.bottom <= layout.innerHeight, `the message box is in view at ${width}px`);
        assert.ok(layout.composer.right <= layout.innerWidth, `the message box fits the width at ${width}px`);
        await page.getByRole('textbox', { name: 'Message' }).waitFor({ state: 'visible' });
      } finally {
        await context.close();
      }
    }
  });

  test('axe-core finds no violations: empty state, a long conversation, the open drawer', { timeout: TEST_TIMEOUT_MS }, async () => {
    const turns = Array.from({ length: 20 }, (_, i) => (i % 4 === 3 ? 'show my tasks' : `add task errand number ${i + 1}`));
    const userId = await userWithHistory(server, turns);

    const desktop = await newContext(browser);
    try {
      const page = await desktop.newPage();
      await openAs(page, server);
      await page.locator('todo-chat [part~="empty-state"]').waitFor();
      assert.deepEqual(await axeViolations(page), [], 'the empty state');

      const long = await desktop.newPage();
      await openAs(long, server, userId);
      await waitForMessages(long, (m) => m.length > 4 && m.at(-1)!.role === 'assistant', 'the end of the long conversation');
      assert.deepEqual(await axeViolations(long), [], 'a long conversation');
    } finally {
      await desktop.close();
    }

    // Reduced motion: axe checks the drawer once it is open, not halfway through its slide-in.
    const phone = await newContext(browser, { viewport: { width: 375, height: 700 }, reducedMotion: 'reduce' });
    try {
      const page = await phone.newPage();
      await openAs(page, server, userId);
      await page.getByRole('button', { name: 'Show conversations' }).click();
      await page.locator('todo-chat .sidebar.open').waitFor({ state: 'visible' });
      await page.locator('todo-chat li.conversation').first().waitFor({ state: 'visible' });
      assert.deepEqual(await axeViolations(page), [], 'the open drawer');
      await screenshot(page, 'drawer-375');
    } finally {
      await phone.close();
    }
  });
});
