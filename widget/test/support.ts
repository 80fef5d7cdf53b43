/**
 * Shared helpers for the widget tests (client and element). The server is the real one, started by
 * web-test-runner.config.mjs; the fault proxy in front of it can be told to fail for one user.
 */
import { ChatClient } from '../src/client/chat-client.js';
import type { ConversationDetail } from '../../server/src/contract.js';
import type { ChatClientOptions, ChatState } from '../src/client/types.js';

interface TestConfig {
  /** The todo-chat server. */
  serverUrl: string;
  /** The same server behind the fault proxy (see `setFault`). */
  proxyUrl: string;
}

let config: Promise<TestConfig> | undefined;

export function testConfig(): Promise<TestConfig> {
  config ??= fetch('/__todo_chat/config.json').then((r) => r.json() as Promise<TestConfig>);
  return config;
}

export const serverUrl = async (): Promise<string> => (await testConfig()).serverUrl;
export const proxyUrl = async (): Promise<string> => (await testConfig()).proxyUrl;

export const newUserId = (): string => `user-${crypto.randomUUID()}`;

/** A fresh user and a real token for them, from the server's demo endpoint. */
export async function newUserToken(userId = newUserId()): Promise<{ userId: string; token: string }> {
  const response = await fetch(`${await serverUrl()}/demo/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user_id: userId }),
  });
  if (!response.ok) throw new Error(`POST /demo/token answered ${response.status}`);
  const body = (await response.json()) as { token: string; user_id: string };
  return { userId: body.user_id, token: body.token };
}

/** A token for `userId` correctly signed by the server but expired an hour ago. */
export async function expiredToken(userId: string): Promise<string> {
  const response = await fetch(`/__todo_chat/expired-token?user=${encodeURIComponent(userId)}`);
  return ((await response.json()) as { token: string }).token;
}

export interface Fault {
  /**
   * `drop`: reset the connection. `drop-after`: let the server answer, then reset. `truncate`: end a
   * stream cleanly before its `done` event. `delay`: wait `delayMs` first. `status`: answer `status`
   * with `Retry-After: retryAfter`. `stream-error`: a 200 stream carrying one `error` event.
   */
  mode: 'drop' | 'drop-after' | 'truncate' | 'delay' | 'status' | 'stream-error';
  status?: number;
  retryAfter?: number;
  delayMs?: number;
  /** How many matching requests fail (default: all until `clearFaults`). */
  times?: number;
  method?: string;
  /** A substring of the path after `/api/{user_id}`, e.g. `/chat`. */
  path?: string;
}

/** Makes the fault proxy fail requests of one user. */
export async function setFault(userId: string, fault: Fault): Promise<void> {
  const query = new URLSearchParams({ user: userId });
  for (const [name, value] of Object.entries(fault)) query.set(name, String(value));
  await fetch(`/__todo_chat/fault?${query}`);
}

export async function clearFaults(userId: string): Promise<void> {
  await fetch(`/__todo_chat/fault?user=${encodeURIComponent(userId)}&mode=clear`);
}

const clients = new Set<ChatClient>();

export interface TestClient {
  client: ChatClient;
  userId: string;
  token: string;
}

/**
 * A ChatClient for a fresh user. `via: 'proxy'` (the default) goes through the fault proxy, so
 * `setFault(userId, …)` can break it; `'server'` talks to the server directly.
 */
export async function createTestClient(
  options: Partial<ChatClientOptions> & { via?: 'proxy' | 'server'; userId?: string } = {},
): Promise<TestClient> {
  const { via = 'proxy', userId: wanted, ...rest } = options;
  const { token, userId } = await newUserToken(wanted);
  const client = new ChatClient({
    apiUrl: via === 'proxy' ? await proxyUrl() : await serverUrl(),
    tokenProvider: () => token,
    ...rest,
  });
  clients.add(client);
  return { client, userId, token };
}

/** Disposes every client made by `createTestClient` (call it in `afterEach`). */
export function disposeClients(): void {
  for (const client of clients) client.dispose();
  clients.clear();
}

/** Resolves with the first state (current or coming) that satisfies `test`. */
export function waitForState(client: ChatClient, test: (state: ChatState) => boolean, timeoutMs = 15_000): Promise<ChatState> {
  if (test(client.state)) return Promise.resolve(client.state);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.removeEventListener('change', listener);
      reject(new Error(`state never matched: ${JSON.stringify(client.state).slice(0, 500)}`));
    }, timeoutMs);
    const listener = (event: CustomEvent<ChatState>) => {
      if (!test(event.detail)) return;
      clearTimeout(timer);
      client.removeEventListener('change', listener);
      resolve(event.detail);
    };
    client.addEventListener('change', listener);
  });
}

/** Reads a conversation straight from the server (not through the client under test). */
export async function serverConversation(userId: string, token: string, id: string): Promise<ConversationDetail> {
  const response = await fetch(`${await serverUrl()}/api/${userId}/conversations/${id}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`GET conversation answered ${response.status}`);
  return (await response.json()) as ConversationDetail;
}

/** Sends a message straight to the server (to set up history without the client under test). */
export async function serverChat(userId: string, token: string, message: string, conversationId?: string): Promise<string> {
  const response = await fetch(`${await serverUrl()}/api/${userId}/chat`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ message, conversation_id: conversationId }),
  });
  if (!response.ok) throw new Error(`POST chat answered ${response.status}`);
  return ((await response.json()) as { conversation_id: string }).conversation_id;
}

/** Makes the page look offline (or online again) to the client: `navigator.onLine` plus the window event. */
export function setOnline(online: boolean): void {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
  window.dispatchEvent(new Event(online ? 'online' : 'offline'));
}

/** Puts back the browser's own `navigator.onLine`. */
export function restoreOnline(): void {
  delete (navigator as { onLine?: boolean }).onLine;
}
