import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { virtualize } from '@lit-labs/virtualizer/virtualize.js';
import type { VisibilityChangedEvent } from '@lit-labs/virtualizer/events.js';
import type { ChatState, UiMessage } from '../client/types.js';
import { renderMarkdown } from './markdown.js';
import { errorSentence, toolCallLabel, type TodoChatStrings } from './strings.js';

export interface MessageListActions {
  /** The current sentences (they can change with the host's `strings`). */
  strings: TodoChatStrings;
  loadOlder(): void;
  retry(message: UiMessage): void;
  /** Puts a failed message's text back into the composer. */
  edit(message: UiMessage): void;
}

type Pin = { index: number; block: ScrollLogicalPosition };

/** How close to the bottom (px) still counts as "reading the latest message". */
const BOTTOM_SLACK = 48;
/** How close to the top (px) starts loading the previous page. */
const TOP_SLACK = 400;

/**
 * The virtualized message log and the scroll rules around it (FR-016):
 * - new messages and a growing answer keep the view at the bottom only if the user was already there;
 *   otherwise a "New messages" button appears;
 * - the user's own message always scrolls into view;
 * - older pages load near the top, and the message that was first on screen stays put (no jump).
 *
 * Positions are kept with the virtualizer's `pin` (layout config), which holds an item in place while the
 * items around it are measured, where setting `scrollTop` by hand would drift.
 */
export class MessageListController implements ReactiveController {
  /** True when new messages arrived below while the user was reading above. */
  unseen = false;
  #atBottom = true;
  #pin: Pin | null = null;
  #firstVisibleKey: string | undefined;
  #last: { key?: string; length: number; first?: string; conversation: string | null } = { length: 0, conversation: null };
  #messages: UiMessage[] = [];
  #canLoadOlder = false;

  constructor(
    private readonly host: ReactiveControllerHost & { renderRoot: ParentNode },
    private readonly actions: MessageListActions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Call from the host's `willUpdate` with each new state, before rendering it. */
  observe(state: ChatState): void {
    const messages = state.messages;
    const previous = this.#last;
    const last = messages.at(-1);
    const switched = state.conversationId !== previous.conversation && previous.key !== undefined;
    this.#messages = messages;
    // The client ignores a second loadOlder() while one runs; this only spares it the calls.
    this.#canLoadOlder = state.hasMore && !state.loadingHistory;
    if (!messages.length) {
      this.#atBottom = true;
      this.unseen = false;
    } else if (switched || previous.key === undefined) {
      this.#toBottom();
    } else if (messages[0]!.key !== previous.first && messages.some((m) => m.key === previous.first)) {
      // An older page arrived above: keep the message that was first on screen where it was.
      this.#holdAnchor(messages);
    } else if (last!.key !== previous.key || last!.content.length !== previous.length) {
      if (this.#atBottom || (last!.role === 'user' && last!.key !== previous.key)) this.#toBottom();
      else this.unseen = true;
    }
    this.#last = { key: last?.key, length: last?.content.length ?? 0, first: messages[0]?.key, conversation: state.conversationId };
  }

  /** Scrolls to the newest message (the "New messages" button). */
  scrollToBottom(): void {
    this.#toBottom();
    this.host.requestUpdate();
  }

  #toBottom(): void {
    this.#atBottom = true;
    this.unseen = false;
    if (this.#messages.length) this.#pin = { index: this.#messages.length - 1, block: 'end' };
  }

  #onScroll = (event: Event): void => {
    const log = event.currentTarget as HTMLElement;
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight <= BOTTOM_SLACK;
    if (atBottom !== this.#atBottom) {
      this.#atBottom = atBottom;
      if (atBottom && this.unseen) {
        this.unseen = false;
        this.host.requestUpdate();
      }
    }
    if (log.scrollTop < TOP_SLACK) this.#loadOlder();
  };

  /**
   * Before the DOM changes: remembers the first message on screen and its distance from the top. After,
   * the virtualizer's pin brings it near, and a few frames of correction put it back to the pixel while the
   * new rows above it get measured (the layout's size estimates shift it otherwise).
   */
  #holdAnchor(messages: UiMessage[]): void {
    const log = this.#log();
    if (!log) return;
    const top = log.getBoundingClientRect().top;
    const rows = [...log.querySelectorAll<HTMLElement>('.row[data-key]')];
    const first = rows
      .map((row) => ({ row, rect: row.getBoundingClientRect() }))
      .filter(({ rect }) => rect.bottom > top)
      .sort((a, b) => a.rect.top - b.rect.top)[0];
    const key = first?.row.dataset.key ?? this.#firstVisibleKey;
    const index = messages.findIndex((m) => m.key === key);
    if (index < 0) return;
    this.#pin = { index, block: 'start' };
    const offset = first ? first.rect.top - top : 0;
    let frames = 0;
    let still = 0;
    const correct = () => {
      const row = log.querySelector<HTMLElement>(`.row[data-key="${CSS.escape(key!)}"]`);
      if (row) {
        const drift = row.getBoundingClientRect().top - log.getBoundingClientRect().top - offset;
        if (Math.abs(drift) >= 1) {
          log.scrollTop += drift;
          still = 0;
        } else still++;
      }
      if (++frames < 30 && still < 3) requestAnimationFrame(correct);
    };
    requestAnimationFrame(correct);
  }

  #log(): HTMLElement | null {
    return this.host.renderRoot.querySelector<HTMLElement>('.log');
  }

  #onVisibilityChanged = (event: VisibilityChangedEvent): void => {
    this.#firstVisibleKey = this.#messages[event.first]?.key;
  };

  // Only scrolling loads older pages: the virtualizer's first layout starts at the top before the view
  // is pinned to the bottom, and treating that as "the user reached the top" would fetch a page nobody asked for.
  #loadOlder(): void {
    if (this.#canLoadOlder) this.actions.loadOlder();
  }

  render(state: ChatState): TemplateResult {
    const { strings } = this.actions;
    const pin = this.#pin;
    this.#pin = null; // a pin is applied once; the virtualizer keeps it until the user scrolls
    return html`<div
      class="log"
      part="message-list"
      role="log"
      aria-label=${strings.logLabel}
      aria-busy=${state.loadingHistory ? 'true' : 'false'}
      tabindex="0"
      @scroll=${this.#onScroll}
      @visibilityChanged=${this.#onVisibilityChanged}
    >
      ${virtualize({
        items: state.messages,
        keyFunction: (message: UiMessage) => message.key,
        renderItem: (message: UiMessage) => this.#renderMessage(message),
        scroller: true,
        layout: pin ? { pin } : {},
      })}
    </div>`;
  }

  #renderMessage(message: UiMessage): TemplateResult {
    const { strings } = this.actions;
    const mine = message.role === 'user';
    return html`<div class="row ${message.role}" data-key=${message.key}>
      <div
        class="message ${message.role} ${message.status}"
        part="message message-${message.role}${message.status === 'failed' ? ' message-failed' : ''}"
      >
        <span class="visually-hidden">${mine ? strings.you : strings.assistant}:</span>
        ${message.tool_calls?.length
          ? html`<ul class="tools">
              ${message.tool_calls.map((call) => html`<li class="tool" part="tool-call">${toolCallLabel(strings, call)}</li>`)}
            </ul>`
          : nothing}
        ${mine ? html`<p class="plain">${message.content}</p>` : html`<div class="md">${markdown(message.content)}</div>`}
      </div>
      ${message.status === 'queued' ? html`<p class="status">${strings.queued}</p>` : nothing}
      ${message.status === 'failed' ? this.#renderFailure(message) : nothing}
    </div>`;
  }

  #renderFailure(message: UiMessage): TemplateResult {
    const { strings } = this.actions;
    return html`<div class="failure" part="error" role="alert">
      <span>${message.error ? errorSentence(strings, message.error) : strings.errorServer}</span>
      <button type="button" class="link" @click=${() => this.actions.retry(message)}>${strings.retry}</button>
      <button type="button" class="link" @click=${() => this.actions.edit(message)}>${strings.editFailed}</button>
    </div>`;
  }
}

// Rendering Markdown is the costliest part of a row; rows are re-rendered on every state change while only
// the last one (a streamed answer) actually changes, so finished replies are cached by their text.
const rendered = new Map<string, TemplateResult>();
function markdown(content: string): TemplateResult {
  let result = rendered.get(content);
  if (!result) {
    if (rendered.size > 500) rendered.clear();
    result = renderMarkdown(content);
    rendered.set(content, result);
  }
  return result;
}
