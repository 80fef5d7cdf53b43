/**
 * Mounts a `<todo-chat>` for a fresh user against the real server (through the fault proxy, so tests can
 * break the network for that user only) and waits until it has restored its conversation.
 */
import { fixture, html } from '@open-wc/testing';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../../src/define.js';
import type { TodoChat } from '../../src/todo-chat/todo-chat.component.js';
import { newUserToken, proxyUrl } from '../support.js';

export interface MountedChat {
  el: TodoChat;
  userId: string;
  token: string;
  /** The element's shadow root, for queries. */
  root: ShadowRoot;
}

export interface MountOptions {
  /** An existing user (and token) whose history to restore. */
  user?: { userId: string; token: string };
  conversationId?: string;
  width?: number;
  height?: number;
  tokenProvider?: () => string;
}

export async function mountChat(options: MountOptions = {}): Promise<MountedChat> {
  const user = options.user ?? (await newUserToken());
  const api = await proxyUrl();
  let ready!: () => void;
  const restored = new Promise<void>((resolve) => (ready = resolve));
  const el = await fixture<TodoChat>(html`<todo-chat
    style="width: ${options.width ?? 900}px; height: ${options.height ?? 600}px"
    api-url=${api}
    conversation-id=${ifDefined(options.conversationId)}
    .tokenProvider=${options.tokenProvider ?? (() => user.token)}
    @todo-chat-ready=${() => ready()}
  ></todo-chat>`);
  await restored;
  await el.updateComplete;
  return { el, userId: user.userId, token: user.token, root: el.shadowRoot! };
}

/** Resolves once `test` holds after one of the element's renders (or at once). */
export async function until(el: TodoChat, test: () => boolean, what = 'condition', timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) {
      const state = el.client?.state;
      const shown = JSON.stringify(messageTexts(el.shadowRoot!).map((t) => t.slice(0, 40)));
      const held = JSON.stringify(state?.messages.map((m) => `${m.role}:${m.status}:${m.content.slice(0, 30)}`));
      throw new Error(`timed out waiting for ${what}; shown ${shown}; state ${held} (conversation ${state?.conversationId})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    await el.updateComplete;
  }
}

/** Waits until `count` messages are rendered (the virtualizer renders a frame after the element). */
export async function rendered(el: TodoChat, count: number): Promise<string[]> {
  const root = el.shadowRoot!;
  await until(el, () => messageTexts(root).length === count, `${count} rendered messages`);
  return messageTexts(root);
}

/** Visible texts of the rendered messages, e.g. `user: hello`. */
export function messageTexts(root: ShadowRoot): string[] {
  return [...root.querySelectorAll<HTMLElement>('.message')].map((m) =>
    `${m.classList.contains('user') ? 'user' : 'assistant'}: ${m.querySelector('.plain, .md')?.textContent?.trim() ?? ''}`,
  );
}

/** Types into the composer as a user would (value + input event). */
export function type(root: ShadowRoot, text: string): HTMLTextAreaElement {
  const box = root.querySelector('textarea')!;
  box.focus();
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  return box;
}

export function pressEnter(box: HTMLTextAreaElement, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, composed: true, cancelable: true, ...init });
  box.dispatchEvent(event);
  return event;
}
