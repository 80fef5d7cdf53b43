import { expect, oneEvent } from '@open-wc/testing';
import { plainText } from '../../src/todo-chat/markdown.js';
import { clearFaults, expiredToken, newUserToken, restoreOnline, setFault, setOnline } from '../support.js';
import { messageTexts, mountChat, pressEnter, rendered, type, until } from './chat-fixture.js';

describe('<todo-chat> conversation', () => {
  it('greets a new user with a welcome and suggestion prompts', async () => {
    const { el, root } = await mountChat();
    expect(root.querySelector('[part=empty-state] .greeting')?.textContent).to.contain('What would you like to do?');
    const prompts = [...root.querySelectorAll('[part=prompt]')].map((p) => p.textContent);
    expect(prompts).to.include('Show my tasks');
    expect(el.getAttribute('conversation-id')).to.equal(null);
  });

  it('shows the message at once, the typing indicator at once, then the streamed answer in its place', async () => {
    const { el, root, userId } = await mountChat();
    await setFault(userId, { mode: 'delay', delayMs: 1000, path: '/chat', times: 1 }); // a server that takes a second
    const box = type(root, 'add task buy milk');
    const sent = oneEvent(el, 'todo-chat-message-sent');
    const answered = oneEvent(el, 'todo-chat-response');
    pressEnter(box);
    await el.updateComplete;

    expect(root.querySelector('[part=typing-indicator]')?.textContent).to.contain('The assistant is typing');
    expect(await rendered(el, 1)).to.deep.equal(['user: add task buy milk']);
    expect(box.value).to.equal('');
    expect((await sent).detail.text).to.equal('add task buy milk');

    const { detail } = await answered;
    expect(await rendered(el, 2)).to.deep.equal(['user: add task buy milk', `assistant: ${plainText(detail.response.message)}`]);
    expect(root.querySelector('[part=typing-indicator]')).to.equal(null);
    expect(el.getAttribute('conversation-id')).to.equal(detail.response.conversation_id);
  });

  it('shows what the assistant did to tasks as a chip and tells the host page', async () => {
    const { el, root } = await mountChat();
    const changed = oneEvent(el, 'todo-chat-tasks-changed');
    void el.send('add task buy milk');
    const { detail } = await changed;
    expect(detail.toolCalls[0]!.name).to.equal('add_task');
    await until(el, () => !!root.querySelector('[part=tool-call]'), 'a tool chip');
    expect(root.querySelector('[part=tool-call]')!.textContent).to.equal('Added task: buy milk');
  });

  it('announces each finished reply once in a polite live region, not the log itself', async () => {
    const { el, root } = await mountChat();
    const answer = await el.send('show my tasks');
    await rendered(el, 2);
    const live = root.querySelector('[aria-live=polite]')!;
    expect(live.textContent).to.equal(`The assistant replied: ${plainText(answer!.message)}`);
    expect(root.querySelector('[role=log]')!.getAttribute('aria-live')).to.equal(null);
  });

  it('sends with Enter, keeps Shift+Enter as a newline and never sends while an input method is composing', async () => {
    const { el, root } = await mountChat();
    const box = type(root, 'こんにちは');
    expect(pressEnter(box, { isComposing: true }).defaultPrevented).to.equal(false);
    expect(pressEnter(box, { keyCode: 229 }).defaultPrevented).to.equal(false);
    expect(pressEnter(box, { shiftKey: true }).defaultPrevented).to.equal(false);
    await el.updateComplete;
    expect(messageTexts(root)).to.deep.equal([]);
    expect(box.value).to.equal('こんにちは');

    expect(pressEnter(box).defaultPrevented).to.equal(true);
    expect(await rendered(el, 1)).to.deep.equal(['user: こんにちは']);
  });

  it('sends with the send button and with a suggestion prompt, and the box stays usable during a call', async () => {
    const { el, root, userId } = await mountChat();
    await setFault(userId, { mode: 'delay', delayMs: 1500, path: '/chat', times: 1 });
    (root.querySelector('[part=prompt]') as HTMLButtonElement).click();
    expect(await rendered(el, 1)).to.deep.equal(['user: Add task buy milk']);

    const box = type(root, 'show my tasks');
    expect(box.disabled).to.equal(false);
    await el.updateComplete;
    const button = root.querySelector<HTMLButtonElement>('[part=send-button]')!;
    expect(button.disabled).to.equal(false);
    button.click();
    await until(el, () => messageTexts(root).filter((t) => t.startsWith('user:')).length === 2, 'the second message');
    expect(messageTexts(root).filter((t) => t.startsWith('user:'))).to.deep.equal(['user: Add task buy milk', 'user: show my tasks']);
    await until(el, () => messageTexts(root).length === 4, 'both answers');
    expect(messageTexts(root)[3]).to.match(/^assistant: .*buy milk/is);
  });

  it('keeps a failed message with a kind sentence and Retry, and Edit puts the text back in the box', async () => {
    const { el, root, userId } = await mountChat();
    await setFault(userId, { mode: 'drop', path: '/chat' });
    const failed = oneEvent(el, 'todo-chat-error');
    await el.send('add task call mum');
    expect((await failed).detail.message).to.equal('Unable to connect. Please try again.');
    await until(el, () => !!root.querySelector('.failure'), 'the failure');
    const failure = root.querySelector('[part=error]')!;
    expect(failure.textContent).to.contain('Unable to connect. Please try again.');
    expect(messageTexts(root)).to.deep.equal(['user: add task call mum']);

    const [retry, edit] = [...failure.querySelectorAll('button')];
    edit!.click();
    await el.updateComplete;
    expect(root.querySelector('textarea')!.value).to.equal('add task call mum');

    await clearFaults(userId);
    const answered = oneEvent(el, 'todo-chat-response');
    retry!.click();
    await answered;
    await until(el, () => messageTexts(root).length === 2, 'the answer after retry');
    expect(messageTexts(root)[1]).to.contain('call mum');
    expect(root.querySelector('.failure')).to.equal(null);
  });

  it('says a server error and a rate limit in plain words, without status codes', async () => {
    const { el, root, userId } = await mountChat();
    await setFault(userId, { mode: 'status', status: 500, path: '/chat', times: 1 });
    await el.send('hello');
    await until(el, () => !!root.querySelector('.failure'), 'the failure');
    expect(root.querySelector('.failure')!.textContent).to.contain('Something went wrong on our end. Please try again.');
    expect(root.querySelector('.failure')!.textContent).not.to.contain('500');

    await setFault(userId, { mode: 'status', status: 429, retryAfter: 30, path: '/chat', times: 1 });
    await el.send('hello again');
    await until(el, () => root.querySelectorAll('.failure').length === 2, 'the second failure');
    expect(root.querySelectorAll('.failure')[1]!.textContent).to.contain("You're sending messages quickly.");
  });

  it('tells the user they are offline, holds the message, and sends it once they are back', async () => {
    const { el, root } = await mountChat();
    try {
      setOnline(false);
      const answered = oneEvent(el, 'todo-chat-response');
      void el.send('add task pack bags');
      await until(el, () => !!root.querySelector('.banner') && !!root.querySelector('.status'), 'the offline notice');
      expect(root.querySelector('.banner')!.textContent).to.contain("You're offline. We'll send your message when you're back.");
      expect(root.querySelector('.status')!.textContent).to.equal('Waiting for a connection…');
      expect(messageTexts(root)).to.deep.equal(['user: add task pack bags']);

      setOnline(true);
      expect((await answered).detail.request.content).to.equal('add task pack bags');
      await until(el, () => !root.querySelector('.banner'), 'the notice to go');
    } finally {
      restoreOnline();
    }
  });

  it('asks the host to sign the user in when the token has expired', async () => {
    const { userId } = await newUserToken();
    const token = await expiredToken(userId);
    const required = new Promise<CustomEvent>((resolve) =>
      document.addEventListener('todo-chat-auth-required', (event) => resolve(event as CustomEvent), { once: true }),
    );
    const { el, root } = await mountChat({ user: { userId, token } });
    const { detail } = await required;
    expect(detail.error.kind).to.equal('auth');
    await el.updateComplete;
    expect(root.querySelector('.banner')?.textContent).to.contain('Your session has expired. Please sign in again.');
  });

  it('picks the conversation up again when the page moves it elsewhere', async () => {
    const { el, root } = await mountChat();
    await el.send('add task move house');
    const parent = el.parentElement!;
    el.remove();
    const ready = oneEvent(el, 'todo-chat-ready');
    parent.append(el);
    expect((await ready).detail.conversationId).to.equal(el.conversationId);
    expect((await rendered(el, 2))[0]).to.equal('user: add task move house');
    expect(root.querySelector('[part=empty-state]')).to.equal(null);
  });

  it('uses the sentences the host gives it', async () => {
    const { el, root } = await mountChat();
    el.strings = { send: 'Envoyer', composerLabel: 'Message à l’assistant' };
    el.startScreen = { greeting: 'Bonjour !', prompts: [{ label: 'Mes tâches', prompt: 'show my tasks' }] };
    el.composer = { placeholder: 'Écrivez…' };
    await el.updateComplete;
    expect(root.querySelector('[part=send-button]')!.getAttribute('aria-label')).to.equal('Envoyer');
    expect(root.querySelector('textarea')!.getAttribute('aria-label')).to.equal('Message à l’assistant');
    expect(root.querySelector('textarea')!.placeholder).to.equal('Écrivez…');
    expect(root.querySelector('.greeting')!.textContent).to.equal('Bonjour !');
    const answered = oneEvent(el, 'todo-chat-response');
    (root.querySelector('[part=prompt]') as HTMLButtonElement).click();
    expect((await answered).detail.request.content).to.equal('show my tasks');
  });

  it('follows theme="dark" and a ChatKit-style theme object', async () => {
    const { el, root } = await mountChat();
    el.setAttribute('theme', 'dark');
    await el.updateComplete;
    const base = root.querySelector<HTMLElement>('[part=base]')!;
    expect(getComputedStyle(base).colorScheme).to.equal('dark');
    el.theme = { colorScheme: 'light', radius: 'sharp', color: { accent: { primary: 'rgb(200, 0, 0)', level: 1 } } };
    await el.updateComplete;
    expect(getComputedStyle(base).colorScheme).to.equal('light');
    expect(getComputedStyle(root.querySelector('[part=send-button]')!).backgroundColor).to.equal('rgb(200, 0, 0)');
  });
});
