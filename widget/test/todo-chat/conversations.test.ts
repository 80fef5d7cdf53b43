import { expect, oneEvent } from '@open-wc/testing';
import { newUserToken, serverChat } from '../support.js';
import { messageTexts, mountChat, until } from './chat-fixture.js';

const titles = (root: ShadowRoot) => [...root.querySelectorAll('[part~=conversation] .title')].map((t) => t.textContent);

async function userWithTwoConversations() {
  const user = await newUserToken();
  const older = await serverChat(user.userId, user.token, 'add task plan the trip');
  const newer = await serverChat(user.userId, user.token, 'show my tasks');
  return { user, older, newer };
}

describe('<todo-chat> conversation list', () => {
  it('lists conversations newest first, each with a preview and a relative time, and switches between them', async () => {
    const { user, older, newer } = await userWithTwoConversations();
    const { el, root } = await mountChat({ user });
    expect(el.conversationId).to.equal(newer);
    expect(titles(root)).to.have.length(2);
    expect(titles(root)[1]).to.contain('plan the trip');
    expect(root.querySelector('[part~=conversation] time')!.textContent).to.equal('just now');
    expect(root.querySelector('[part~=conversation-active] [aria-current=true]')).to.exist;

    const changed = oneEvent(el, 'todo-chat-conversation-change');
    root.querySelectorAll<HTMLButtonElement>('[part~=conversation] .open')[1]!.click();
    expect((await changed).detail.conversationId).to.equal(older);
    await until(el, () => messageTexts(root)[0] === 'user: add task plan the trip', 'the older conversation');
    expect(el.getAttribute('conversation-id')).to.equal(older);
  });

  it('opens another conversation when the host sets conversation-id, and starts a new one', async () => {
    const { user, older } = await userWithTwoConversations();
    const { el, root } = await mountChat({ user });
    el.setAttribute('conversation-id', older);
    await until(el, () => messageTexts(root)[0] === 'user: add task plan the trip', 'the conversation the host chose');

    root.querySelector<HTMLButtonElement>('[part=new-conversation]')!.click();
    await until(el, () => !!root.querySelector('[part=empty-state]'), 'an empty new conversation');
    expect(el.hasAttribute('conversation-id')).to.equal(false);
    expect(el.shadowRoot!.activeElement).to.equal(root.querySelector('textarea'));
  });

  it('renames a conversation inline', async () => {
    const { user } = await userWithTwoConversations();
    const { el, root } = await mountChat({ user });
    root.querySelector<HTMLButtonElement>('[aria-label^="Rename"]')!.click();
    await el.updateComplete;
    const input = root.querySelector<HTMLInputElement>('.editing input')!;
    expect(root.activeElement).to.equal(input);
    input.value = 'Holiday';
    input.form!.requestSubmit();
    await until(el, () => titles(root)[0] === 'Holiday', 'the new title');
    expect(root.querySelector('.header .title')!.textContent).to.equal('Holiday');
  });

  it('deletes a conversation only after the user confirms', async () => {
    const { user, newer } = await userWithTwoConversations();
    const { el, root } = await mountChat({ user });
    root.querySelector<HTMLButtonElement>('[aria-label^="Delete"]')!.click();
    await el.updateComplete;
    expect(root.querySelector('.editing')!.textContent).to.contain('Its messages will be gone for good.');
    root.querySelector<HTMLButtonElement>('.editing button:not(.danger)')!.click(); // Cancel
    await el.updateComplete;
    expect(titles(root)).to.have.length(2);

    root.querySelector<HTMLButtonElement>('[aria-label^="Delete"]')!.click();
    await el.updateComplete;
    root.querySelector<HTMLButtonElement>('.editing .danger')!.click();
    await until(el, () => !root.querySelector('.editing') && titles(root).length === 1, 'one conversation left');
    expect(el.client!.state.conversations.map((c) => c.id)).not.to.include(newer);
    expect(root.querySelector('[part=empty-state]')).to.exist;
  });

  it('is a sidebar from 768px and a drawer below, with no horizontal scrolling down to 320px', async () => {
    const { user } = await userWithTwoConversations();
    const wide = await mountChat({ user, width: 1024 });
    const sidebar = wide.root.querySelector<HTMLElement>('[part=conversation-list]')!;
    expect(getComputedStyle(sidebar).visibility).to.equal('visible');
    expect(getComputedStyle(wide.root.querySelector('.menu')!).display).to.equal('none');

    const narrow = await mountChat({ user, width: 320 });
    const drawer = narrow.root.querySelector<HTMLElement>('[part=conversation-list]')!;
    const base = narrow.root.querySelector<HTMLElement>('[part=base]')!;
    expect(getComputedStyle(drawer).visibility).to.equal('hidden');
    expect(base.scrollWidth).to.be.at.most(base.clientWidth);
    expect(parseFloat(getComputedStyle(narrow.root.querySelector('textarea')!).fontSize)).to.be.at.least(16);

    const menu = narrow.root.querySelector<HTMLButtonElement>('.menu')!;
    menu.click();
    await narrow.el.updateComplete;
    expect(menu.getAttribute('aria-expanded')).to.equal('true');
    expect(getComputedStyle(drawer).visibility).to.equal('visible');
    expect(narrow.root.activeElement).to.equal(narrow.root.querySelector('[part=new-conversation]'));
    drawer.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await narrow.el.updateComplete;
    await narrow.el.updateComplete;
    expect(menu.getAttribute('aria-expanded')).to.equal('false');
    expect(narrow.root.activeElement).to.equal(menu);
  });
});
