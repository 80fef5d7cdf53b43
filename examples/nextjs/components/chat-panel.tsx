'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import type { TodoChat } from 'todo-chat';
import { authClient } from '@/lib/auth-client';

/**
 * The chat, client-only. Next renders this component on the server too, where `<todo-chat>` is just an unknown
 * tag (harmless); the element is registered in useEffect, which only runs in the browser, so server rendering
 * never touches `customElements` or `HTMLElement`. `import type` above is erased, so it costs nothing there.
 */
export function ChatPanel({ apiUrl }: { apiUrl: string }) {
  const ref = useRef<TodoChat>(null);
  const router = useRouter();

  useEffect(() => {
    const chat = ref.current;
    if (!chat) return;
    let unmounted = false;
    void import('todo-chat/define').then(() => {
      // Defining upgrades the element already in the page, so `chat` is a TodoChat by now.
      if (unmounted) return;
      // Better Auth's jwt plugin: a 15-minute JWT for the session's user, verified by the chat server via JWKS.
      // null (signed out) makes the element show "please sign in" and fire todo-chat-auth-required.
      chat.tokenProvider = async () => (await authClient.token()).data?.token ?? null;
    });

    // The assistant changed tasks: re-render the server components that show them (the todo list, counters).
    const onTasksChanged = () => router.refresh();
    const onAuthRequired = () => router.push('/login?next=/chat');
    chat.addEventListener('todo-chat-tasks-changed', onTasksChanged);
    chat.addEventListener('todo-chat-auth-required', onAuthRequired);
    return () => {
      unmounted = true;
      chat.removeEventListener('todo-chat-tasks-changed', onTasksChanged);
      chat.removeEventListener('todo-chat-auth-required', onAuthRequired);
    };
  }, [router]);

  return <todo-chat ref={ref} api-url={apiUrl} style={{ display: 'block', height: 'min(70vh, 720px)' }} />;
}
