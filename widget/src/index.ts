/**
 * The public API of the todo-chat widget. Importing it has no side effects and touches no browser global,
 * so it is safe in Node (Next.js server rendering); import `todo-chat/define` to register `<todo-chat>`.
 */
export { TodoChat } from './todo-chat/todo-chat.component.js';
export { defaultStrings, type TodoChatStrings } from './todo-chat/strings.js';
export type {
  ColorScheme,
  TodoChatComposer,
  TodoChatEventDetail,
  TodoChatEventMap,
  TodoChatEventName,
  TodoChatPrompt,
  TodoChatStartScreen,
  TodoChatTheme,
  TodoChatThemeValue,
} from './todo-chat/options.js';
export * from './client/index.js';

export const VERSION = '0.1.0';
