import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ConversationSummary } from '../client/types.js';
import { closeIcon, editIcon, plusIcon, trashIcon } from './icons.js';
import { format, relativeTime, type TodoChatStrings } from './strings.js';

export interface ConversationListView {
  strings: TodoChatStrings;
  conversations: ConversationSummary[];
  activeId: string | null;
  /** Below 768px the list is a drawer; this says whether it is open. */
  open: boolean;
  /** The conversation being renamed or asked about, if any. */
  editing: { id: string; mode: 'rename' | 'delete' } | null;
  locale: string | undefined;
}

export interface ConversationListActions {
  select(id: string): void;
  create(): void;
  close(): void;
  edit(id: string, mode: 'rename' | 'delete'): void;
  cancelEdit(): void;
  rename(id: string, title: string): void;
  remove(id: string): void;
}

/** What a conversation is called in the list: its title, else the start of its last message. */
export function conversationLabel(strings: TodoChatStrings, c: ConversationSummary): string {
  return c.title?.trim() || c.last_message_preview?.trim() || strings.untitled;
}

/**
 * The conversation list: a sidebar from 768px, a drawer below (see the styles' container query). Newest
 * first, each with a title or preview and a relative time; rename inline, delete after an inline confirm
 * (no `window.confirm`, which blocks the page and cannot be styled or translated).
 */
export function renderConversationList(view: ConversationListView, actions: ConversationListActions): TemplateResult {
  const { strings } = view;
  const sorted = [...view.conversations].sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  return html`<nav
    id="conversations"
    class="sidebar ${view.open ? 'open' : ''}"
    part="conversation-list"
    aria-label=${strings.conversations}
    @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && actions.close()}
  >
    <div class="sidebar-head">
      <h2>${strings.conversations}</h2>
      <button type="button" class="icon drawer-only" aria-label=${strings.hideConversations} @click=${actions.close}>
        ${closeIcon}
      </button>
    </div>
    <button type="button" class="new" part="new-conversation" @click=${actions.create}>${plusIcon}<span>${strings.newConversation}</span></button>
    ${sorted.length
      ? html`<ul>
          ${repeat(sorted, (c) => c.id, (c) => renderItem(view, actions, c))}
        </ul>`
      : html`<p class="muted empty-list">${strings.noConversations}</p>`}
  </nav>`;
}

function renderItem(view: ConversationListView, actions: ConversationListActions, c: ConversationSummary): TemplateResult {
  const { strings } = view;
  const label = conversationLabel(strings, c);
  const active = c.id === view.activeId;
  const editing = view.editing?.id === c.id ? view.editing.mode : null;

  if (editing === 'rename') {
    const submit = (e: Event) => {
      e.preventDefault();
      const input = (e.currentTarget as HTMLFormElement).elements.namedItem('title') as HTMLInputElement;
      if (input.value.trim()) actions.rename(c.id, input.value.trim());
    };
    return html`<li class="conversation editing">
      <form @submit=${submit} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (e.stopPropagation(), actions.cancelEdit())}>
        <input name="title" .value=${c.title ?? ''} placeholder=${label} maxlength="200" aria-label=${strings.renameLabel} autofocus />
        <div class="actions">
          <button type="submit" class="primary small">${strings.save}</button>
          <button type="button" class="small" @click=${actions.cancelEdit}>${strings.cancel}</button>
        </div>
      </form>
    </li>`;
  }
  if (editing === 'delete') {
    return html`<li class="conversation editing" role="group" aria-label=${label}>
      <p>${format(strings.confirmDelete, { title: label })}</p>
      <div class="actions">
        <button type="button" class="danger small" @click=${() => actions.remove(c.id)}>${strings.delete}</button>
        <button type="button" class="small" @click=${actions.cancelEdit} autofocus>${strings.cancel}</button>
      </div>
    </li>`;
  }
  return html`<li class="conversation ${active ? 'active' : ''}" part="conversation${active ? ' conversation-active' : ''}">
    <button type="button" class="open" aria-current=${active ? 'true' : nothing} @click=${() => actions.select(c.id)}>
      <span class="title">${label}</span>
      <time class="time" datetime=${c.updated_at}>${relativeTime(strings, c.updated_at, view.locale)}</time>
    </button>
    <button type="button" class="icon" aria-label="${strings.rename}: ${label}" title=${strings.rename} @click=${() => actions.edit(c.id, 'rename')}>
      ${editIcon}
    </button>
    <button type="button" class="icon" aria-label="${strings.delete}: ${label}" title=${strings.delete} @click=${() => actions.edit(c.id, 'delete')}>
      ${trashIcon}
    </button>
  </li>`;
}
