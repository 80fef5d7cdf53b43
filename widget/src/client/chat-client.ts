/**
 * The headless chat engine: history, the conversation list, and an ordered, idempotent, offline-aware
 * send queue. Plain TypeScript (no lit), so it runs in any framework or none; `<todo-chat>` only
 * renders `state` and calls these methods.
 */
import type { ConversationDetail, ConversationList, TaskList } from '../../../server/src/contract.js';
import { ChatRequestError, chatError, isOffline, Transport, type RequestInit } from './transport.js';
import { postTurn } from './turn.js';
import { initialChatState } from './state.js';
import type {
  ChatClientEventMap,
  ChatClientOptions,
  ChatError,
  ChatResponse,
  ChatState,
  ConversationSummary,
  Message,
  Task,
  UiMessage,
} from './types.js';

/** A conversation as the send queue sees it; `id` fills in when its first message creates it. */
interface Thread {
  id: string | null;
}

/** A user message not yet confirmed by the server. */
interface Outgoing {
  /** Also the `client_message_id`, reused on every retry so the server stores it once. */
  key: string;
  text: string;
  thread: Thread;
  status: 'queued' | 'sending' | 'failed';
  error?: ChatError;
  /** The server's id for it, known once its turn started (it may be in a history page already). */
  userMessageId?: string;
  finished: Promise<ChatResponse | undefined>;
  settle: (response: ChatResponse | undefined) => void;
}

/** Tools that change tasks: after them the host should refresh its todo list. */
const MUTATING_TOOLS = new Set(['add_task', 'complete_task', 'update_task', 'delete_task']);

const uuid = (): string =>
  globalThis.crypto?.randomUUID?.() ??
  // randomUUID needs a secure context; getRandomValues does not (plain-http intranet hosts).
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (Number(c) ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (Number(c) / 4)))).toString(16),
  );

/** Ids may come from a host page's attribute: never let one change the path. */
const conversationPath = (id: string): string => `/conversations/${encodeURIComponent(id)}`;

const stored = (message: Message): UiMessage => ({ ...message, key: message.id, status: 'sent' });

/** A copy of `messages` with `message` right after the one keyed `key` (answers follow their question). */
function insertAfter(messages: UiMessage[], key: string, message: UiMessage): UiMessage[] {
  const copy = [...messages];
  const index = copy.findIndex((m) => m.key === key);
  copy.splice(index === -1 ? copy.length : index + 1, 0, message);
  return copy;
}

export interface ChatClient {
  addEventListener<K extends keyof ChatClientEventMap>(
    type: K,
    listener: (this: ChatClient, event: ChatClientEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ChatClientEventMap>(
    type: K,
    listener: (this: ChatClient, event: ChatClientEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

export class ChatClient extends EventTarget {
  #options: ChatClientOptions;
  readonly #transport = new Transport(() => this.#options);
  readonly #lifetime = new AbortController();
  #state: ChatState = Object.freeze(initialChatState(!isOffline()));
  #thread: Thread = { id: null };
  /** Unconfirmed messages in the order the user sent them. */
  #outbox: Outgoing[] = [];
  #pumping = false;
  /** Bumped by every `open()`, so a slow history load never overwrites a newer one. */
  #generation = 0;
  /** The last failed load, which `retry()` repeats. */
  #retryLoad: (() => Promise<void>) | undefined;

  constructor(options: ChatClientOptions) {
    super();
    this.#options = { ...options };
    globalThis.addEventListener?.('online', this.#onOnline);
    globalThis.addEventListener?.('offline', this.#onOffline);
  }

  /** An immutable snapshot; a new object after every change. */
  get state(): ChatState {
    return this.#state;
  }

  setOptions(options: Partial<ChatClientOptions>): void {
    this.#options = { ...this.#options, ...options };
  }

  /** Stops listening and aborts every request; pending `send()` promises resolve undefined. */
  dispose(): void {
    globalThis.removeEventListener?.('online', this.#onOnline);
    globalThis.removeEventListener?.('offline', this.#onOffline);
    this.#lifetime.abort();
    for (const item of this.#outbox) item.settle(undefined);
  }

  /** Loads the conversation list and opens `conversationId`, else the most recent one, else a new one. */
  async restore(conversationId?: string | null): Promise<void> {
    const again = () => this.restore(conversationId);
    const listed = await this.#refresh(again);
    const listError = this.#state.error;
    // Without the list we cannot know the most recent conversation: stay put until retry().
    if (listed || conversationId) await this.open(conversationId ?? this.#state.conversations[0]?.id ?? null);
    if (listed) return;
    this.#retryLoad = again;
    if (!this.#state.error) this.#set({ error: listError });
  }

  /** Opens a conversation at its latest page, or a new empty one with `null`. */
  async open(conversationId: string | null): Promise<void> {
    const generation = ++this.#generation;
    const changed = conversationId !== this.#state.conversationId;
    // Messages still on their way to this conversation keep their place in it.
    this.#thread = (conversationId && this.#outbox.find((item) => item.thread.id === conversationId)?.thread) || { id: conversationId };
    this.#set({ conversationId, messages: this.#unconfirmed(), hasMore: false, typing: false, error: null, loadingHistory: !!conversationId });
    if (changed) this.#emit('conversation-change', { conversationId });
    if (!conversationId) return;
    const page = await this.#load<ConversationDetail>(`${conversationPath(conversationId)}?limit=${this.#pageSize}`, () => this.open(conversationId));
    if (generation !== this.#generation) return;
    if (!page) return this.#set({ loadingHistory: false });
    // A message whose turn started but is not answered yet is both stored and unconfirmed: show it once.
    const pending = new Set(this.#outbox.map((item) => item.userMessageId));
    const history = page.messages.filter((message) => !pending.has(message.id)).map(stored);
    this.#set({ messages: [...history, ...this.#unconfirmed()], hasMore: page.has_more, loadingHistory: false });
  }

  newConversation(): Promise<void> {
    return this.open(null);
  }

  /** Prepends the page of messages before the oldest one shown. */
  async loadOlder(): Promise<void> {
    const { conversationId, hasMore, loadingHistory, messages } = this.#state;
    const oldest = messages.find((message) => message.status === 'sent');
    if (!conversationId || !hasMore || loadingHistory || !oldest) return;
    const generation = this.#generation;
    this.#set({ loadingHistory: true });
    const page = await this.#load<ConversationDetail>(
      `${conversationPath(conversationId)}?limit=${this.#pageSize}&before=${encodeURIComponent(oldest.id)}`,
      () => this.loadOlder(),
    );
    if (generation !== this.#generation) return;
    if (!page) return this.#set({ loadingHistory: false });
    this.#set({ messages: [...page.messages.map(stored), ...this.#state.messages], hasMore: page.has_more, loadingHistory: false });
  }

  /**
   * Shows the message at once and sends it after any earlier ones. Resolves with the answer, or
   * undefined when it failed (see the message's `error`, `state` and the `error` event).
   */
  send(text: string): Promise<ChatResponse | undefined> {
    if (!text.trim() || this.#lifetime.signal.aborted) return Promise.resolve(undefined);
    let settle!: Outgoing['settle'];
    const finished = new Promise<ChatResponse | undefined>((resolve) => (settle = resolve));
    const item: Outgoing = { key: uuid(), text, thread: this.#thread, status: 'queued', finished, settle };
    const waiting = isOffline() || this.#outbox.some((other) => other.status !== 'failed');
    this.#outbox.push(item);
    this.#set({ messages: [...this.#state.messages, this.#uiMessage(item, waiting ? 'queued' : 'sending')], typing: !isOffline() });
    void this.#pump();
    return finished;
  }

  /** Sends failed messages again (one by `key`, or all in order) and repeats a failed load. */
  async retry(key?: string): Promise<void> {
    const items = this.#outbox.filter((item) => item.status === 'failed' && (key === undefined || item.key === key));
    for (const item of items) {
      item.status = 'queued';
      item.error = undefined;
      item.finished = new Promise((resolve) => (item.settle = resolve));
      this.#patchMessage(item.key, { status: 'queued', error: undefined });
    }
    const load = key === undefined ? this.#retryLoad : undefined;
    this.#retryLoad = undefined;
    if (load || items.length) this.#set({ error: null });
    void this.#pump();
    await Promise.all([load?.(), ...items.map((item) => item.finished)]);
  }

  /** Reloads the conversation list (newest first, up to 100). */
  async refreshConversations(): Promise<void> {
    await this.#refresh(() => this.refreshConversations());
  }

  /** Renames a conversation; resolves false when that failed (see the `error` event). */
  async renameConversation(id: string, title: string): Promise<boolean> {
    const renamed = await this.#call<Partial<ConversationSummary>>(conversationPath(id), { method: 'PATCH', body: { title } });
    if (!renamed) return false;
    this.#set({ conversations: this.#state.conversations.map((c) => (c.id === id ? { ...c, ...renamed, title: renamed.title ?? title } : c)) });
    return true;
  }

  /** Deletes a conversation (and its messages); opens a new one if it was open. */
  async deleteConversation(id: string): Promise<boolean> {
    if ((await this.#call(conversationPath(id), { method: 'DELETE' })) === false) return false;
    const conversations = this.#state.conversations.filter((c) => c.id !== id);
    const removed = this.#state.conversations.length - conversations.length;
    this.#set({ conversations, conversationsTotal: Math.max(0, this.#state.conversationsTotal - removed) });
    if (this.#state.conversationId === id) await this.open(null);
    return true;
  }

  /** The user's tasks. Rejects with a `ChatRequestError` (its `info` is the `ChatError`). */
  async listTasks(): Promise<Task[]> {
    return (await this.#transport.json<TaskList>('/tasks', { signal: this.#lifetime.signal })).tasks;
  }

  // ---- the send queue -------------------------------------------------------------------------

  /** Sends queued messages one at a time, oldest first, until none is left or the browser is offline. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    let delivered = false;
    try {
      let item: Outgoing | undefined;
      while (!this.#lifetime.signal.aborted && !isOffline() && (item = this.#outbox.find((o) => o.status === 'queued'))) {
        delivered = (await this.#deliver(item)) || delivered;
      }
    } finally {
      this.#pumping = false;
    }
    // Titles, previews and the order of the list changed: refresh it once the queue is drained.
    if (delivered && !this.#lifetime.signal.aborted) void this.refreshConversations();
  }

  /** Sends one message; true when the server answered it. */
  async #deliver(item: Outgoing): Promise<boolean> {
    const current = () => item.thread === this.#thread;
    const replyKey = `${item.key}:reply`;
    item.status = 'sending';
    this.#patchMessage(item.key, { status: 'sending' });
    if (current()) this.#set({ typing: true });
    try {
      const response = await postTurn(
        this.#transport,
        { conversation_id: item.thread.id, message: item.text, client_message_id: item.key },
        { streaming: this.#options.streaming !== false, signal: this.#lifetime.signal },
        {
          start: (info) => {
            item.userMessageId = info.user_message_id;
            this.#adopt(item.thread, info.conversation_id);
          },
          delta: (text) => {
            if (!current()) return;
            const reply = this.#state.messages.find((m) => m.key === replyKey);
            if (reply) return this.#patchMessage(replyKey, { content: reply.content + text });
            const streaming: UiMessage = { id: replyKey, key: replyKey, role: 'assistant', content: text, created_at: new Date().toISOString(), status: 'streaming' };
            this.#set({ messages: insertAfter(this.#state.messages, item.key, streaming), typing: false });
          },
        },
      );
      this.#outbox = this.#outbox.filter((other) => other !== item);
      this.#adopt(item.thread, response.conversation_id);
      const request = { ...this.#uiMessage(item, 'sent'), id: response.user_message_id };
      if (current()) {
        const reply: UiMessage = { id: response.message_id, key: replyKey, role: 'assistant', content: response.message, created_at: response.created_at, tool_calls: response.tool_calls, status: 'sent' };
        const messages = this.#state.messages.filter((m) => m.key !== replyKey).map((m) => (m.key === item.key ? request : m));
        this.#set({ messages: insertAfter(messages, item.key, reply), typing: false });
      }
      item.settle(response);
      this.#emit('response', { request, response });
      const toolCalls = response.tool_calls.filter((call) => MUTATING_TOOLS.has(call.name));
      if (toolCalls.length) this.#emit('tasks-changed', { toolCalls });
      return true;
    } catch (error) {
      if (this.#lifetime.signal.aborted) return false; // dispose() settled it
      const info = error instanceof ChatRequestError ? error.info : chatError('network');
      const keep = this.#state.messages.filter((m) => m.key !== replyKey);
      if (info.kind === 'offline') {
        // Not a failure: it goes out by itself when the browser is back online.
        item.status = 'queued';
        this.#set({ messages: keep, typing: false, online: false });
        this.#patchMessage(item.key, { status: 'queued' });
        return false;
      }
      // Later messages would overtake this one, so a retryable failure holds them back too.
      const failing = info.retryable ? this.#outbox.filter((o) => o === item || o.status === 'queued') : [item];
      this.#set({ messages: keep, typing: false });
      for (const other of failing) {
        other.status = 'failed';
        other.error = info;
        this.#patchMessage(other.key, { status: 'failed', error: info });
        other.settle(undefined);
      }
      this.#fail(info);
      return false;
    }
  }

  /** Records the conversation a message created (and shows it, when it is the open one). */
  #adopt(thread: Thread, conversationId: string): void {
    if (thread.id) return;
    thread.id = conversationId;
    if (thread === this.#thread && this.#state.conversationId === null) {
      this.#set({ conversationId });
      this.#emit('conversation-change', { conversationId });
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------

  async #refresh(again: () => Promise<void>): Promise<boolean> {
    this.#set({ loadingConversations: true });
    const list = await this.#load<ConversationList>('/conversations?limit=100', again);
    this.#set(list ? { conversations: list.conversations, conversationsTotal: list.total, loadingConversations: false } : { loadingConversations: false });
    return !!list;
  }

  get #pageSize(): number {
    return this.#options.pageSize ?? 50;
  }

  #uiMessage(item: Outgoing, status: UiMessage['status']): UiMessage {
    const existing = this.#state.messages.find((m) => m.key === item.key);
    return { id: item.key, role: 'user', created_at: existing?.created_at ?? new Date().toISOString(), content: item.text, key: item.key, status };
  }

  /** The open conversation's messages that the server has not confirmed yet, in send order. */
  #unconfirmed(): UiMessage[] {
    return this.#outbox
      .filter((item) => item.thread === this.#thread)
      .map((item) => (item.error ? { ...this.#uiMessage(item, item.status), error: item.error } : this.#uiMessage(item, item.status)));
  }

  #patchMessage(key: string, patch: Partial<UiMessage>): void {
    if (!this.#state.messages.some((m) => m.key === key)) return;
    this.#set({ messages: this.#state.messages.map((m) => (m.key === key ? { ...m, ...patch } : m)) });
  }

  /** A GET whose failure goes to `state.error` and becomes what `retry()` repeats. */
  async #load<T>(path: string, again: () => Promise<void>): Promise<T | undefined> {
    try {
      return await this.#transport.json<T>(path, { signal: this.#lifetime.signal });
    } catch (error) {
      if (this.#lifetime.signal.aborted) return undefined;
      this.#retryLoad = again;
      this.#fail(error instanceof ChatRequestError ? error.info : chatError('network'), true);
      return undefined;
    }
  }

  /** A one-off change (rename, delete); resolves false when it failed. */
  async #call<T>(path: string, init: RequestInit): Promise<T | false> {
    try {
      return await this.#transport.json<T>(path, { ...init, signal: this.#lifetime.signal });
    } catch (error) {
      if (!this.#lifetime.signal.aborted) this.#fail(error instanceof ChatRequestError ? error.info : chatError('network'), true);
      return false;
    }
  }

  #fail(error: ChatError, inState = false): void {
    if (inState || error.kind === 'auth') this.#set({ error });
    this.#emit('error', error);
    if (error.kind === 'auth') this.#emit('auth-required', error);
  }

  #set(patch: Partial<ChatState>): void {
    this.#state = Object.freeze({ ...this.#state, ...patch });
    this.#emit('change', this.#state);
  }

  #emit<K extends keyof ChatClientEventMap>(type: K, detail: ChatClientEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  readonly #onOnline = (): void => {
    this.#set({ online: true });
    void this.#pump();
  };

  readonly #onOffline = (): void => this.#set({ online: false });
}
