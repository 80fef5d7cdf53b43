import { expect, oneEvent } from '@open-wc/testing';
import type { ChatState, UiMessage } from '../../src/client/types.js';
import { newUserToken, serverChat, setFault } from '../support.js';
import { messageTexts, mountChat, rendered, until } from './chat-fixture.js';

/** A user with one conversation of `turns` question/answer pairs, made straight on the server. */
async function userWithConversation(turns: number) {
  const user = await newUserToken();
  let id: string | undefined;
  for (let i = 1; i <= turns; i++) id = await serverChat(user.userId, user.token, `message number ${i}`, id);
  return { user, conversationId: id! };
}

const log = (root: ShadowRoot) => root.querySelector<HTMLElement>('[role=log]')!;
/** The first message row on screen and its distance from the top of the log. */
function firstOnScreen(root: ShadowRoot): { key: string; offset: number } {
  const top = log(root).getBoundingClientRect().top;
  const rows = [...root.querySelectorAll<HTMLElement>('.row')].map((row) => ({ key: row.dataset.key!, offset: row.getBoundingClientRect().top - top }));
  return rows.filter((r) => r.offset > -40).sort((a, b) => a.offset - b.offset)[0]!;
}
const atBottom = (view: HTMLElement) => view.scrollHeight - view.scrollTop - view.clientHeight < 60;
const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

describe('<todo-chat> history', () => {
  it('restores the last conversation exactly on load, and opens the one named by conversation-id', async () => {
    const user = await newUserToken();
    const first = await serverChat(user.userId, user.token, 'add task water plants');
    await serverChat(user.userId, user.token, 'show my tasks', first);
    const second = await serverChat(user.userId, user.token, 'hello there');

    const latest = await mountChat({ user });
    expect(latest.el.conversationId).to.equal(second);
    expect((await rendered(latest.el, 2))[0]).to.equal('user: hello there');

    latest.el.remove(); // the virtualizer renders only what is on screen, so one chat at a time
    const named = await mountChat({ user, conversationId: first });
    expect(named.el.getAttribute('conversation-id')).to.equal(first);
    await until(named.el, () => messageTexts(named.root).length === 4, 'four messages');
    expect(messageTexts(named.root).filter((t) => t.startsWith('user:'))).to.deep.equal(['user: add task water plants', 'user: show my tasks']);
  });

  it('loads older messages when scrolled to the top without moving what the user was reading', async function () {
    this.timeout(120_000);
    const { user } = await userWithConversation(40); // 80 messages, the first page holds 50
    const { el, root } = await mountChat({ user });
    await until(el, () => atBottom(log(root)), 'the view to open at the bottom');
    await frame();
    expect(el.client!.state.messages).to.have.length(50);

    // The page takes a moment to arrive, as on a slow network, so the view the user sees can be noted first.
    await setFault(user.userId, { mode: 'delay', delayMs: 1500, method: 'GET', path: '/conversations/', times: 1 });
    log(root).scrollTop = 0;
    await until(el, () => el.client!.state.loadingHistory, 'the older page to be requested');
    await frame();
    const before = firstOnScreen(root);

    await until(el, () => el.client!.state.messages.length === 80 && !el.client!.state.loadingHistory, 'the older page');
    for (let i = 0; i < 6; i++) await frame();
    const after = root.querySelector<HTMLElement>(`[data-key="${before.key}"]`);
    expect(after, 'the message that was first on screen is still rendered').to.exist;
    expect(after!.getBoundingClientRect().top - log(root).getBoundingClientRect().top).to.be.closeTo(before.offset, 2);
    expect(messageTexts(root)[0]).not.to.equal('user: message number 1'); // the new page is above, out of view
  });

  it('follows new messages at the bottom, and offers a "New messages" button when the user reads above', async function () {
    this.timeout(120_000);
    const { user } = await userWithConversation(12);
    const { el, root } = await mountChat({ user });
    await el.send('show my tasks');
    const view = log(root);
    await until(el, () => atBottom(view), 'the view to follow the answer');

    await setFault(user.userId, { mode: 'delay', delayMs: 3000, path: '/chat', times: 1 });
    const answered = oneEvent(el, 'todo-chat-response');
    void el.send('add task read a book');
    await until(el, () => messageTexts(root).at(-1) === 'user: add task read a book' && atBottom(view), 'the message in view');
    await frame();
    view.scrollTop = 0; // the user scrolls up to read while the answer is on its way
    view.dispatchEvent(new Event('scroll'));
    await answered;
    await until(el, () => !!root.querySelector('[part=new-messages]'), 'the New messages button');
    const button = root.querySelector<HTMLButtonElement>('[part=new-messages]')!;
    expect(button.textContent).to.contain('New messages');
    expect(view.scrollTop).to.be.below(200);

    button.click();
    await until(el, () => atBottom(view), 'the view at the bottom');
    await until(el, () => !root.querySelector('[part=new-messages]'), 'the button to go');
  });

  describe('virtualization', () => {
    const fakeMessages = (count: number): UiMessage[] =>
      Array.from({ length: count }, (_, i) => ({
        id: `m${i}`,
        key: `m${i}`,
        role: i % 2 ? 'assistant' : 'user',
        content: i % 2 ? `Reply **${i}** with a [link](https://example.com/${i})` : `Message ${i}`,
        created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        status: 'sent',
      }));

    it('keeps the number of message nodes flat at 1k, 10k and 100k messages', async function () {
      this.timeout(120_000);
      const { el, root } = await mountChat();
      const counts: number[] = [];
      for (const size of [1_000, 10_000, 100_000]) {
        const state: ChatState = { ...el.client!.state, conversationId: `c-${size}`, messages: fakeMessages(size), hasMore: false };
        el.client!.dispatchEvent(new CustomEvent('change', { detail: state }));
        await el.updateComplete;
        await frame();
        await frame();
        counts.push(root.querySelectorAll('.message').length);
      }
      expect(counts.every((n) => n > 0 && n < 80), `message nodes: ${counts}`).to.equal(true);
      expect(Math.max(...counts) - Math.min(...counts)).to.be.below(20);
      expect(root.querySelector('.message:last-of-type')).to.exist;
    });
  });
});
