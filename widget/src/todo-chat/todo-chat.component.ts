import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { ChatClient } from '../client/chat-client.js';
import { initialChatState } from '../client/state.js';
import type { ChatError, ChatResponse, ChatState, TokenProvider, UiMessage } from '../client/types.js';
import { renderComposer } from './composer.js';
import { conversationLabel, renderConversationList } from './conversation-list.js';
import { downIcon, menuIcon, plusIcon } from './icons.js';
import { plainText } from './markdown.js';
import { MessageListController, type MessageListActions } from './message-list.js';
import type { TodoChatComposer, TodoChatEventMap, TodoChatPrompt, TodoChatStartScreen, TodoChatThemeValue } from './options.js';
import { defaultStrings, errorSentence, format, type TodoChatStrings } from './strings.js';
import { messageStyles } from './messages.styles.js';
import { styles, themeStyles } from './todo-chat.styles.js';

const defaultPrompts: TodoChatPrompt[] = ['Add task buy milk', 'Show my tasks', 'What can you do?'];

/**
 * An AI chat for a todo app. Renders the state of a {@link ChatClient} and forwards what the user does.
 *
 * @summary `<todo-chat api-url="https://chat.example.com">` plus a `tokenProvider` is all a page needs.
 *
 * @fires todo-chat-ready - Configured, and the last conversation (or `conversation-id`) is restored.
 * @fires todo-chat-message-sent - A message was submitted and is on screen.
 * @fires todo-chat-response - The assistant answered; `detail.response` is the server's response.
 * @fires todo-chat-conversation-change - Another conversation is open (`null`: a new one, not yet saved).
 * @fires todo-chat-tasks-changed - The assistant changed tasks: refresh the host's todo list.
 * @fires todo-chat-error - Something failed; `detail.message` is the sentence shown.
 * @fires todo-chat-auth-required - The token is missing or expired: sign the user in again.
 *
 * @csspart base - The whole chat (sidebar and main area).
 * @csspart header - The bar above the messages on narrow screens (drawer button and title).
 * @csspart conversation-list - The sidebar (≥768px) or drawer listing conversations.
 * @csspart new-conversation - The "New conversation" button.
 * @csspart conversation - One conversation in the list; the open one also has `conversation-active`.
 * @csspart message-list - The scrolling message log.
 * @csspart message - Every message bubble, also `message-user` / `message-assistant` / `message-failed`.
 * @csspart tool-call - A chip saying what the assistant did to a task.
 * @csspart error - An error sentence with its Retry action.
 * @csspart empty-state - The greeting and suggestion prompts of a new conversation.
 * @csspart prompt - One suggestion prompt.
 * @csspart typing-indicator - The "assistant is typing" indicator.
 * @csspart new-messages - The button that jumps to messages that arrived below.
 * @csspart composer - The form holding the message box and send button.
 * @csspart input - The message box.
 * @csspart send-button - The send button.
 *
 * @cssproperty --todo-chat-font-family - Font of all text. Default: the system UI font.
 * @cssproperty --todo-chat-font-size - Base text size. Default: 15px (the message box is never under 16px).
 * @cssproperty --todo-chat-accent - Buttons, the user's bubbles, focus rings. Default: #4f46e5 / #818cf8.
 * @cssproperty --todo-chat-accent-text - Text on the accent colour. Default: #fff.
 * @cssproperty --todo-chat-background - Background of the message area.
 * @cssproperty --todo-chat-surface - Background of the sidebar, composer and assistant bubbles.
 * @cssproperty --todo-chat-text - Main text colour.
 * @cssproperty --todo-chat-muted - Secondary text (times, hints).
 * @cssproperty --todo-chat-border - Lines and outlines.
 * @cssproperty --todo-chat-danger - Errors and the delete button.
 * @cssproperty --todo-chat-radius - Corner radius of bubbles and buttons. Default: 14px.
 * @cssproperty --todo-chat-sidebar-width - Width of the conversation sidebar. Default: 280px.
 * @cssproperty --todo-chat-max-width - Maximum width of the message column. Default: 760px.
 */
export class TodoChat extends LitElement {
  static override styles = [styles, messageStyles];

  /** Base URL of the todo-chat server, e.g. `https://chat.example.com`; empty means this page's origin. */
  @property({ attribute: 'api-url' }) accessor apiUrl = '';

  /** The user whose chat this is; defaults to the token's `sub` claim. */
  @property({ attribute: 'user-id' }) accessor userId = '';

  /** The open conversation (reflected); set it to open another one, remove it to start a new one. */
  @property({ attribute: 'conversation-id', reflect: true }) accessor conversationId: string | null = null;

  /** `light`, `dark` or `auto` (the system setting, default); as a property also a ChatKit-style theme object. */
  @property({ converter: { fromAttribute: (value: string | null) => (value === 'light' || value === 'dark' ? value : 'auto') } })
  accessor theme: TodoChatThemeValue = 'auto';

  /** Stream answers as they are written (default on); `streaming="false"` waits for whole answers. */
  @property({ converter: { fromAttribute: (value: string | null) => value !== 'false' && value !== 'off' } })
  accessor streaming = true;

  /** Returns the user's JWT (e.g. Better Auth's `authClient.token()`); called before every request. Required. */
  @property({ attribute: false }) accessor tokenProvider: TokenProvider | undefined = undefined;

  /** Replacements for any visible sentence (see `defaultStrings`), e.g. for another language. */
  @property({ attribute: false }) accessor strings: Partial<TodoChatStrings> = {};

  /** The empty state: `{ greeting, prompts }` as in ChatKit's `startScreen`. */
  @property({ attribute: false }) accessor startScreen: TodoChatStartScreen = {};

  /** The composer: `{ placeholder }` as in ChatKit's `composer`. */
  @property({ attribute: false }) accessor composer: TodoChatComposer = {};

  @state() private accessor chat: ChatState = initialChatState();
  @state() private accessor draft = '';
  @state() private accessor drawerOpen = false;
  @state() private accessor editing: { id: string; mode: 'rename' | 'delete' } | null = null;
  @state() private accessor announcement = '';

  @query('textarea') private accessor textarea!: HTMLTextAreaElement | null;

  /** The headless client doing the work; created once `tokenProvider` is set. */
  client: ChatClient | undefined;
  #ready: Promise<void> | undefined;
  #resolveReady: (() => void) | undefined;
  #isReady = false;
  #focusEdit = false;
  readonly #messageActions: MessageListActions = {
    strings: defaultStrings, // replaced in willUpdate with the merged strings
    loadOlder: () => void this.client?.loadOlder(),
    retry: (message) => void this.client?.retry(message.key),
    edit: (message) => {
      this.draft = message.content;
      void this.focusComposer();
    },
  };
  readonly #list = new MessageListController(this, this.#messageActions);

  // ── lifecycle ──────────────────────────────────────────────────────────────────────────────────

  override connectedCallback(): void {
    super.connectedCallback();
    this.#ready ??= new Promise((resolve) => (this.#resolveReady = resolve));
    if (!this.client) this.requestUpdate(); // moved back into a page: willUpdate starts a new client
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A removed element stops its requests and listeners; put back in the page, it restores again.
    this.client?.dispose();
    this.client = undefined;
    this.#isReady = false;
    this.#ready = undefined;
  }

  protected override willUpdate(changed: PropertyValues): void {
    this.#strings = { ...defaultStrings, ...this.strings };
    this.#messageActions.strings = this.#strings;
    if (!this.client && this.tokenProvider && this.isConnected) this.#start();
    else if (this.client && (changed.has('apiUrl') || changed.has('userId') || changed.has('streaming'))) {
      this.client.setOptions(this.#clientOptions());
    }
    // Empty `conversation-id` means "none", like a missing one.
    if (changed.has('conversationId') && this.client && (this.conversationId || null) !== this.client.state.conversationId) {
      void this.client.open(this.conversationId || null);
    }
    if (changed.has('chat')) this.#list.observe(this.chat);
  }

  protected override updated(): void {
    if (this.#focusEdit) {
      this.#focusEdit = false;
      this.renderRoot.querySelector<HTMLElement>('.editing [autofocus]')?.focus();
    }
  }

  // ── private handlers ───────────────────────────────────────────────────────────────────────────

  #strings: TodoChatStrings = defaultStrings;

  #clientOptions() {
    return {
      apiUrl: this.apiUrl.replace(/\/+$/, ''),
      tokenProvider: () => this.tokenProvider?.(),
      userId: this.userId || undefined,
      streaming: this.streaming,
    };
  }

  #start(): void {
    const client = new ChatClient(this.#clientOptions());
    this.client = client;
    client.addEventListener('change', (e) => (this.chat = e.detail));
    client.addEventListener('response', (e) => this.#onResponse(e.detail));
    client.addEventListener('tasks-changed', (e) => this.#emit('todo-chat-tasks-changed', e.detail));
    client.addEventListener('error', (e) => this.#emit('todo-chat-error', { error: e.detail, message: this.#errorText(e.detail) }));
    client.addEventListener('auth-required', (e) => this.#emit('todo-chat-auth-required', { error: e.detail }));
    client.addEventListener('conversation-change', (e) => {
      this.conversationId = e.detail.conversationId;
      this.#emit('todo-chat-conversation-change', e.detail);
    });
    this.chat = client.state;
    void client
      .restore(this.conversationId || undefined)
      .catch(() => undefined) // shown through state.error
      .then(() => {
        if (this.client !== client) return;
        this.conversationId = client.state.conversationId;
        this.#isReady = true;
        this.#resolveReady?.();
        this.#emit('todo-chat-ready', { conversationId: client.state.conversationId });
      });
  }

  #onResponse(detail: { request: UiMessage; response: ChatResponse }): void {
    // Each finished reply is announced once (the log itself is not live, so tokens are not read out).
    const text = format(this.#strings.replyAnnouncement, { text: plainText(detail.response.message) });
    this.announcement = this.announcement === text ? `${text}\u00a0` : text;
    this.#emit('todo-chat-response', detail);
  }

  #emit<K extends keyof TodoChatEventMap>(type: K, detail: TodoChatEventMap[K]['detail']): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #errorText(error: ChatError): string {
    return errorSentence(this.#strings, error);
  }

  #submit(): void {
    const text = this.draft.trim();
    if (!text) return;
    this.draft = '';
    void this.send(text);
  }

  #onPrompt(prompt: TodoChatPrompt): void {
    void this.send(typeof prompt === 'string' ? prompt : prompt.prompt);
  }

  #openDrawer = (): void => {
    this.drawerOpen = true;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.sidebar .new')?.focus());
  };

  #closeDrawer = (): void => {
    if (!this.drawerOpen) return;
    this.drawerOpen = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.menu')?.focus());
  };

  #listActions = {
    select: (id: string) => {
      this.drawerOpen = false;
      void this.setConversation(id);
    },
    create: () => {
      this.drawerOpen = false;
      void this.newConversation();
    },
    close: () => this.#closeDrawer(),
    edit: (id: string, mode: 'rename' | 'delete') => {
      this.editing = { id, mode };
      this.#focusEdit = true;
    },
    cancelEdit: () => (this.editing = null),
    rename: (id: string, title: string) => {
      this.editing = null;
      void this.client?.renameConversation(id, title);
    },
    remove: (id: string) => {
      this.editing = null;
      void this.client?.deleteConversation(id);
    },
  };

  // ── public methods ─────────────────────────────────────────────────────────────────────────────

  /** Sends a message as if the user typed it. Resolves with the answer, or `undefined` if it failed (shown). */
  send(text: string): Promise<ChatResponse | undefined> {
    // Once ready, the message goes to the client in this same task, so it (and the typing indicator)
    // is on screen in the very next render.
    if (this.client && this.#isReady) return this.#sendWith(this.client, text);
    return this.#client().then((client) => this.#sendWith(client, text));
  }

  #sendWith(client: ChatClient, text: string): Promise<ChatResponse | undefined> {
    const sending = client.send(text);
    this.#emit('todo-chat-message-sent', { text, conversationId: client.state.conversationId });
    return sending;
  }

  /** Moves keyboard focus to the message box. */
  async focusComposer(): Promise<void> {
    await this.updateComplete;
    this.textarea?.focus();
  }

  /** Opens a conversation by id, or starts a new one with `null`. */
  async setConversation(id: string | null): Promise<void> {
    const client = await this.#client();
    await client.open(id);
  }

  /** Starts a new, empty conversation (saved with its first message) and focuses the message box. */
  async newConversation(): Promise<void> {
    const client = await this.#client();
    client.newConversation();
    await this.focusComposer();
  }

  /** Reloads the conversation list and the open conversation from the server. */
  async refresh(): Promise<void> {
    const client = await this.#client();
    await Promise.all([client.refreshConversations(), client.open(client.state.conversationId)]);
  }

  async #client(): Promise<ChatClient> {
    if (!this.tokenProvider) throw new Error('<todo-chat> needs a tokenProvider before it can talk to the server.');
    await this.#ready;
    return this.client!;
  }

  // ── render ─────────────────────────────────────────────────────────────────────────────────────

  protected override render(): TemplateResult {
    const strings = this.#strings;
    const chat = this.chat;
    const active = chat.conversations.find((c) => c.id === chat.conversationId);
    const empty = !chat.messages.length && !chat.loadingHistory;
    const { scheme, style } = themeStyles(this.theme);
    const streamingVisible = chat.messages.at(-1)?.status === 'streaming' && chat.messages.at(-1)!.content.length > 0;
    const banner = !chat.online ? errorSentence(strings, { kind: 'offline', retryable: true }) : chat.error ? this.#errorText(chat.error) : '';

    return html`<div class="base ${scheme}" part="base" style=${styleMap(style)}>
      ${renderConversationList(
        {
          strings,
          conversations: chat.conversations,
          activeId: chat.conversationId,
          open: this.drawerOpen,
          editing: this.editing,
          locale: this.lang || document.documentElement.lang || undefined,
        },
        this.#listActions,
      )}
      ${this.drawerOpen ? html`<div class="scrim" @click=${this.#closeDrawer}></div>` : nothing}
      <div class="main">
        <header class="header" part="header">
          <button type="button" class="icon menu" aria-label=${strings.showConversations} aria-expanded=${this.drawerOpen ? 'true' : 'false'} aria-controls="conversations" @click=${this.#openDrawer}>
            ${menuIcon}
          </button>
          <h2 class="title">${active ? conversationLabel(strings, active) : strings.newConversation}</h2>
          <button type="button" class="icon" aria-label=${strings.newConversation} title=${strings.newConversation} @click=${this.#listActions.create}>
            ${plusIcon}
          </button>
        </header>
        ${banner
          ? html`<div class="banner" part="error" role="alert">
              <span>${banner}</span>
              ${chat.error?.retryable && chat.online ? html`<button type="button" class="link" @click=${() => void this.client?.retry()}>${strings.retry}</button>` : nothing}
            </div>`
          : nothing}
        ${empty ? this.#renderEmpty(strings) : this.#list.render(chat)}
        ${this.#list.unseen
          ? html`<button type="button" class="new-messages" part="new-messages" @click=${() => this.#list.scrollToBottom()}>${downIcon}${strings.newMessages}</button>`
          : nothing}
        ${chat.typing && !streamingVisible
          ? html`<div class="typing" part="typing-indicator"><span class="dots" aria-hidden="true"><i></i><i></i><i></i></span><span>${strings.typing}</span></div>`
          : nothing}
        ${renderComposer(
          { strings, draft: this.draft, placeholder: this.composer.placeholder ?? strings.composerPlaceholder },
          { input: (text) => (this.draft = text), submit: () => this.#submit() },
        )}
        <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
      </div>
    </div>`;
  }

  #renderEmpty(strings: TodoChatStrings): TemplateResult {
    const prompts = this.startScreen.prompts ?? defaultPrompts;
    return html`<section class="empty" part="empty-state" aria-label=${strings.newConversation}>
      <p class="greeting">${this.startScreen.greeting ?? strings.greeting}</p>
      <ul class="prompts">
        ${prompts.map(
          (p) => html`<li><button type="button" class="prompt" part="prompt" @click=${() => this.#onPrompt(p)}>${typeof p === 'string' ? p : p.label}</button></li>`,
        )}
      </ul>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'todo-chat': TodoChat;
  }
  interface HTMLElementEventMap extends TodoChatEventMap {}
}
