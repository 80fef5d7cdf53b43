// JSX typing for <todo-chat> in React 19 (`react-jsx` resolves JSX through the `react` module's JSX namespace).
// Only attributes go here: React sets them before the element is defined. Objects and functions
// (tokenProvider, startScreen, strings) are set as properties through a ref, see components/chat-panel.tsx.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { TodoChat } from 'todo-chat';

interface TodoChatAttributes {
  'api-url'?: string;
  'user-id'?: string;
  'conversation-id'?: string;
  theme?: 'light' | 'dark' | 'auto';
  streaming?: 'true' | 'false';
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'todo-chat': DetailedHTMLProps<HTMLAttributes<TodoChat>, TodoChat> & TodoChatAttributes;
    }
  }
}
