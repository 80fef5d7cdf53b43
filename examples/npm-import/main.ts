// A host app that installs todo-chat from npm and imports it by name. The element talks to the chat
// server; the app keeps its own todo list beside it and refreshes that list whenever the assistant
// changes a task (the `todo-chat-tasks-changed` event).
import 'todo-chat/define'; // registers <todo-chat>
import type { Task, TokenProvider } from 'todo-chat';

/** The chat server: `?server=…`, else the one `npm start` runs. Allow this page's origin there with CORS_ORIGINS. */
const server = (new URLSearchParams(location.search).get('server') ?? 'http://localhost:8000').replace(/\/+$/, '');

// Sign-in stand-in: the server's demo mode hands out a token for any user. A real app returns its own
// user's JWT here instead, e.g. `(await authClient.token()).data?.token ?? null` (see docs/auth.md).
let session: { token: string; userId: string; exp: number } | undefined;

const tokenProvider: TokenProvider = async () => {
  if (session && session.exp - Date.now() / 1000 > 60) return session.token;
  const response = await fetch(`${server}/demo/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(session ? { user_id: session.userId } : {}),
  });
  if (!response.ok) return null; // the element shows its "please sign in" state
  const { token, user_id: userId } = (await response.json()) as { token: string; user_id: string };
  const { exp } = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp: number };
  session = { token, userId, exp };
  document.querySelector('#user')!.textContent = `Signed in as ${userId}`;
  return token;
};

const list = document.querySelector<HTMLUListElement>('#tasks')!;
const status = document.querySelector<HTMLParagraphElement>('#tasks-status')!;

/** The host's own read of the user's tasks: `GET /api/{user}/tasks` with the same token as the chat. */
async function refreshTasks(): Promise<void> {
  const token = await tokenProvider();
  if (!token || !session) return;
  const response = await fetch(`${server}/api/${encodeURIComponent(session.userId)}/tasks`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!response.ok) {
    status.textContent = 'Could not load your tasks.';
    return;
  }
  const { tasks } = (await response.json()) as { tasks: Task[] };
  list.replaceChildren(...tasks.map(taskItem));
  status.textContent = tasks.length ? '' : 'Nothing yet. Ask the assistant to add one.';
}

function taskItem(task: Task): HTMLLIElement {
  const item = document.createElement('li');
  item.textContent = task.title; // textContent, never innerHTML: titles are user (and model) text
  item.classList.toggle('done', task.completed);
  return item;
}

const chat = document.querySelector('todo-chat')!; // typed as TodoChat through HTMLElementTagNameMap
chat.apiUrl = server;
chat.startScreen = { greeting: 'What should I add to your list?', prompts: ['Add task buy milk', 'Show my tasks'] };
chat.tokenProvider = tokenProvider;
chat.addEventListener('todo-chat-ready', () => void refreshTasks());
chat.addEventListener('todo-chat-tasks-changed', () => void refreshTasks());
chat.addEventListener('todo-chat-auth-required', () => {
  session = undefined; // the next tokenProvider call signs in again
});
