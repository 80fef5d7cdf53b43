import type { ChatError, ChatResponse, ToolCall, UiMessage } from '../client/types.js';

/**
 * Object-valued options of `<todo-chat>`, named as in ChatKit (`@openai/chatkit`'s `ThemeOption`,
 * `StartScreenOption`, `ComposerOption`) so a host migrating from ChatKit can pass the same values. They are
 * declared here rather than imported so the published types do not depend on the ChatKit package;
 * `chatkit-compat.ts` checks at compile time that they stay assignable from ChatKit's.
 */
export type ColorScheme = 'light' | 'dark';

/** `theme` as an object: a subset of ChatKit's `ThemeOption`. */
export interface TodoChatTheme {
  /** Light or dark; leave out to follow the user's system setting. */
  colorScheme?: ColorScheme;
  /** Corner roundness. */
  radius?: 'pill' | 'round' | 'soft' | 'sharp';
  /** Spacing. */
  density?: 'compact' | 'normal' | 'spacious';
  color?: {
    /** Buttons, the user's bubbles and focus rings. Any CSS colour. */
    accent?: { primary: string; level?: 0 | 1 | 2 | 3 };
  };
}

/** The `theme` attribute (`light`, `dark`, `auto`) or a ChatKit-style theme object (property only). */
export type TodoChatThemeValue = 'light' | 'dark' | 'auto' | TodoChatTheme;

/** A suggestion chip of the empty state: a plain string, or ChatKit's `{label, prompt}`. */
export type TodoChatPrompt = string | { label: string; prompt: string };

/** The empty state, as ChatKit's `startScreen`. */
export interface TodoChatStartScreen {
  greeting?: string;
  prompts?: TodoChatPrompt[];
}

/** The composer, as ChatKit's `composer`. */
export interface TodoChatComposer {
  placeholder?: string;
}

/** Every event `<todo-chat>` fires. All bubble and cross shadow roots (`composed`). */
export interface TodoChatEventMap {
  /** The element is configured and has restored its conversation (or found none). */
  'todo-chat-ready': CustomEvent<{ conversationId: string | null }>;
  /** The user (or `send()`) submitted a message; it is on screen and on its way. */
  'todo-chat-message-sent': CustomEvent<{ text: string; conversationId: string | null }>;
  /** The assistant answered a message. */
  'todo-chat-response': CustomEvent<{ request: UiMessage; response: ChatResponse }>;
  /** Another conversation was opened, or a new one started (`null` until its first message). */
  'todo-chat-conversation-change': CustomEvent<{ conversationId: string | null }>;
  /** The assistant changed the user's tasks: refresh the host's todo list. */
  'todo-chat-tasks-changed': CustomEvent<{ toolCalls: ToolCall[] }>;
  /** Something failed; `message` is the sentence the element showed. */
  'todo-chat-error': CustomEvent<{ error: ChatError; message: string }>;
  /** The token is missing or expired even after one refresh: send the user to sign in. */
  'todo-chat-auth-required': CustomEvent<{ error: ChatError }>;
}

export type TodoChatEventName = keyof TodoChatEventMap;
export type TodoChatEventDetail<K extends TodoChatEventName> = TodoChatEventMap[K]['detail'];
