/**
 * The client's public state and options: the seam between the headless client (plain TypeScript,
 * no lit) and the `<todo-chat>` element, which only renders `ChatState` and calls `ChatClient` methods.
 */
import type {
  ChatResponse,
  ConversationSummary,
  Message,
  Task,
  ToolCall,
} from '../../../server/src/contract.js';

export type { ChatResponse, ConversationSummary, Message, Task, ToolCall };

/** Returns the user's JWT (e.g. Better Auth's `authClient.token()`); called before every request. */
export type TokenProvider = () => string | null | undefined | Promise<string | null | undefined>;

export interface ChatClientOptions {
  /** Base URL of the todo-chat server, e.g. `https://chat.example.com`. */
  apiUrl: string;
  tokenProvider: TokenProvider;
  /** The path user; defaults to the token's `sub` claim. */
  userId?: string;
  /** Stream answers over SSE (default true); falls back to JSON when the server does not stream. */
  streaming?: boolean;
  /** Per-request timeout in ms (default 30 000; a streamed answer's timer resets on every event). */
  timeoutMs?: number;
  /** Messages per history page (default 50). */
  pageSize?: number;
  /** For tests and custom transports. Defaults to `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/** Why something failed, in categories the element turns into friendly sentences (overridable strings). */
export type ErrorKind =
  | 'offline' // navigator is offline; queued messages go out when back online
  | 'network' // server unreachable ("Unable to connect")
  | 'timeout'
  | 'auth' // 401 after one token refresh: the host must sign the user in again
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'validation'
  | 'server'; // 5xx

export interface ChatError {
  kind: ErrorKind;
  /** The server's `detail` sentence when there was one. */
  detail?: string;
  /** The server's machine-readable `code`, e.g. `token_expired` or `conversation_not_found`. */
  code?: string;
  status?: number;
  /** Seconds the server asked us to wait (429/503 `Retry-After`). */
  retryAfter?: number;
  /** True when calling `retry()` can help. */
  retryable: boolean;
}

/** A message as the UI shows it: stored ones plus the user's own not-yet-confirmed ones. */
export interface UiMessage extends Message {
  /** Client-side key, stable from the moment the user sends until the server confirms. */
  key: string;
  /** `sending`/`queued`/`failed` only for the user's own unconfirmed messages; `streaming` for a growing answer. */
  status: 'sent' | 'sending' | 'queued' | 'failed' | 'streaming';
  /** The failure of a `failed` message. */
  error?: ChatError;
}

export interface ChatState {
  /** The open conversation; null before the first message of a new one. */
  conversationId: string | null;
  /** Oldest first. */
  messages: UiMessage[];
  /** True while older messages exist on the server (load them with `loadOlder()`). */
  hasMore: boolean;
  loadingHistory: boolean;
  /** The assistant is working on an answer (show the typing indicator). */
  typing: boolean;
  conversations: ConversationSummary[];
  conversationsTotal: number;
  loadingConversations: boolean;
  online: boolean;
  /** The latest error that is not tied to one message (history load, list, auth). */
  error: ChatError | null;
}

/** Events a ChatClient dispatches (it is an EventTarget). */
export interface ChatClientEventMap {
  /** State changed; `detail` is the new state. */
  change: CustomEvent<ChatState>;
  /** One user message was confirmed by the server and answered. */
  response: CustomEvent<{ request: UiMessage; response: ChatResponse }>;
  /** The assistant changed tasks during a turn. */
  'tasks-changed': CustomEvent<{ toolCalls: ToolCall[] }>;
  error: CustomEvent<ChatError>;
  /** The token is missing or still rejected after one refresh: the host should send the user to sign in. */
  'auth-required': CustomEvent<ChatError>;
  'conversation-change': CustomEvent<{ conversationId: string | null }>;
}
