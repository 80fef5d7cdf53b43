import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { ChatPanel } from '@/components/chat-panel';
import { auth } from '@/lib/auth';

// The session is read per request, so this page is never prerendered.
export const dynamic = 'force-dynamic';

/** SC-005: checked on the server, so a signed-out visitor is redirected before any chat is rendered. */
export default async function ChatPage() {
  const session = await auth.api.getSession({ headers: await headers() });
  if (!session) redirect('/login?next=/chat');
  return (
    <>
      <h1>Chat</h1>
      <ChatPanel apiUrl={process.env.NEXT_PUBLIC_TODO_CHAT_URL ?? 'http://localhost:8000'} />
    </>
  );
}
