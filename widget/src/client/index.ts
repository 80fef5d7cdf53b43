/** The headless client, for use without the element: `import { ChatClient } from 'todo-chat'`. */
export { ChatClient } from './chat-client.js';
export { initialChatState } from './state.js';
export { ChatRequestError, tokenSubject } from './transport.js';
export { SseParser, readSse, type SseEvent } from './sse.js';
export type * from './types.js';
