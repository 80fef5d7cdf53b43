import type { ChatState } from './types.js';

/** The state before anything is loaded: a new, empty conversation. */
export function initialChatState(online = true): ChatState {
  return {
    conversationId: null,
    messages: [],
    hasMore: false,
    loadingHistory: false,
    typing: false,
    conversations: [],
    conversationsTotal: 0,
    loadingConversations: false,
    online,
    error: null,
  };
}
