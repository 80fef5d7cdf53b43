/**
 * The wire contract of the todo-chat HTTP API (see docs/api.md and ../shared/CONTRACT.md).
 *
 * Written once and imported with `import type` by the server, the widget's client and the tests.
 * Field names stay snake_case on the wire, as the seed's contract has them.
 */

export type Role = 'user' | 'assistant';

/** Body of `POST /api/{user_id}/chat`. */
export interface ChatRequest {
  /** The conversation to continue; omit or `null` to start a new one. */
  conversation_id?: string | null;
  /** 1–4000 characters, not blank. */
  message: string;
  /** A uuid chosen by the client. Retrying with the same id never stores the turn twice. */
  client_message_id?: string;
}

/** One thing the assistant did to the user's tasks during a turn. */
export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
  result: unknown;
}

/** Response of `POST /api/{user_id}/chat` (and the `done` event of its stream). */
export interface ChatResponse {
  conversation_id: string;
  message: string;
  role: 'assistant';
  created_at: string;
  message_id: string;
  user_message_id: string;
  tool_calls: ToolCall[];
}

export interface ConversationSummary {
  id: string;
  title: string | null;
  last_message_preview: string | null;
  message_count: number;
  created_at: string;
  updated_at: string;
}

export interface ConversationList {
  conversations: ConversationSummary[];
  total: number;
  limit: number;
  offset: number;
}

export interface Message {
  id: string;
  role: Role;
  content: string;
  created_at: string;
  /** Present on assistant messages that changed tasks. */
  tool_calls?: ToolCall[];
}

export interface ConversationDetail {
  id: string;
  title: string | null;
  created_at: string;
  updated_at: string;
  messages: Message[];
  /** True when older messages exist before the first one returned (only with `limit`/`before`). */
  has_more: boolean;
}

export interface Task {
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
  created_at: string;
  updated_at: string;
}

export interface TaskList {
  tasks: Task[];
}

/** Every 4xx/5xx body. `detail` is a sentence a person can act on. */
export interface ErrorBody {
  error: string;
  detail: string;
  code?: string;
}

/**
 * Server-Sent Events of a streamed turn (`Accept: text/event-stream`), in order:
 * `start` once, then any number of `delta` and `tool_call`, then exactly one `done` or `error`.
 */
export interface StreamEventMap {
  start: { conversation_id: string; user_message_id: string };
  delta: { text: string };
  tool_call: ToolCall;
  done: ChatResponse;
  error: ErrorBody;
}

export type StreamEventName = keyof StreamEventMap;

export const MESSAGE_MAX_LENGTH = 4000;
