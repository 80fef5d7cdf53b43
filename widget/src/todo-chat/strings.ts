import type { ChatError, ErrorKind, ToolCall } from '../client/types.js';

/**
 * Every sentence `<todo-chat>` shows or announces. Override any of them through the element's `strings`
 * property (for another language or another tone); the rest keep these defaults. `{name}` placeholders are
 * filled in by the element.
 */
export const defaultStrings = {
  greeting: 'Hi! I can add, complete and organise your tasks. What would you like to do?',
  composerPlaceholder: 'Message the assistant…',
  composerLabel: 'Message',
  send: 'Send',
  sending: 'Sending…',
  queued: 'Waiting for a connection…',
  retry: 'Retry',
  editFailed: 'Edit',
  typing: 'The assistant is typing',
  newMessages: 'New messages',
  loadingOlder: 'Loading earlier messages…',
  logLabel: 'Conversation',
  you: 'You',
  assistant: 'Assistant',
  /** Read by screen readers once per finished reply. */
  replyAnnouncement: 'The assistant replied: {text}',
  conversations: 'Conversations',
  showConversations: 'Show conversations',
  hideConversations: 'Close conversations',
  newConversation: 'New conversation',
  untitled: 'New conversation',
  noConversations: 'No conversations yet.',
  rename: 'Rename',
  renameLabel: 'Conversation title',
  save: 'Save',
  cancel: 'Cancel',
  delete: 'Delete',
  confirmDelete: 'Delete “{title}”? Its messages will be gone for good.',
  justNow: 'just now',
  taskAdded: 'Added task: {title}',
  taskCompleted: 'Completed task: {title}',
  taskUpdated: 'Updated task: {title}',
  taskDeleted: 'Deleted task: {title}',
  tasksListed: 'Looked at your tasks',
  toolUsed: 'Used {name}',
  toolFailed: 'Could not change a task: {error}',
  errorOffline: "You're offline. We'll send your message when you're back.",
  errorNetwork: 'Unable to connect. Please try again.',
  errorTimeout: 'Request timed out. Please try again.',
  errorAuth: 'Your session has expired. Please sign in again.',
  errorForbidden: "Access denied. This conversation doesn't belong to you.",
  errorNotFound: 'Conversation not found. It may have been deleted.',
  errorRateLimited: "You're sending messages quickly. Please wait a moment and try again.",
  errorValidation: "That message couldn't be sent. Please check it and try again.",
  errorServer: 'Something went wrong on our end. Please try again.',
};

export type TodoChatStrings = typeof defaultStrings;

/** Fills `{name}` placeholders. Unknown placeholders stay as they are, so a typo shows rather than vanishes. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

const errorKeys: Record<ErrorKind, keyof TodoChatStrings> = {
  offline: 'errorOffline',
  network: 'errorNetwork',
  timeout: 'errorTimeout',
  auth: 'errorAuth',
  forbidden: 'errorForbidden',
  not_found: 'errorNotFound',
  rate_limited: 'errorRateLimited',
  validation: 'errorValidation',
  server: 'errorServer',
};

/**
 * The sentence for a failure. Our own wording wins over the server's `detail`, except for validation
 * errors, where the server says exactly what to fix (e.g. "message must be at most 4000 characters").
 */
export function errorSentence(strings: TodoChatStrings, error: ChatError): string {
  if (error.kind === 'validation' && error.detail) return error.detail;
  return strings[errorKeys[error.kind]] ?? strings.errorServer;
}

/** "Added task: buy milk" and friends, for the compact tool-call chips. */
export function toolCallLabel(strings: TodoChatStrings, call: ToolCall): string {
  const result = (call.result ?? {}) as { title?: unknown; error?: unknown };
  if (typeof result.error === 'string') return format(strings.toolFailed, { error: result.error });
  const title = String(result.title ?? call.arguments.title ?? '');
  switch (call.name) {
    case 'add_task':
      return format(strings.taskAdded, { title });
    case 'complete_task':
      return format(strings.taskCompleted, { title });
    case 'update_task':
      return format(strings.taskUpdated, { title });
    case 'delete_task':
      return format(strings.taskDeleted, { title });
    case 'list_tasks':
      return strings.tasksListed;
    default:
      return format(strings.toolUsed, { name: call.name });
  }
}

const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "5 minutes ago", "yesterday", in the page's language (Intl), or `justNow` under a minute. */
export function relativeTime(strings: TodoChatStrings, iso: string, locale?: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (!Number.isFinite(seconds) || Math.abs(seconds) < 60) return strings.justNow;
  const format = new Intl.RelativeTimeFormat(locale || undefined, { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return strings.justNow;
}
