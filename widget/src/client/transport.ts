/**
 * HTTP to the todo-chat server: the bearer token, per-request timeouts, one transparent token
 * refresh on 401, and every failure turned into a `ChatError` the UI can word kindly.
 */
import type { ErrorBody } from '../../../server/src/contract.js';
import type { ChatClientOptions, ChatError, ErrorKind } from './types.js';

/** A failed request, carrying the `ChatError` that describes it. */
export class ChatRequestError extends Error {
  override name = 'ChatRequestError';
  constructor(readonly info: ChatError) {
    super(info.detail ?? info.kind);
  }
}

export interface RequestInit {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  accept?: string;
  /** Aborts the request from outside (dispose); reported as a rejection the caller ignores. */
  signal?: AbortSignal;
}

/** Lets a body reader push the deadline back while data keeps arriving (a streamed answer). */
export type KeepAlive = () => void;

const NOT_RETRYABLE: ReadonlySet<ErrorKind> = new Set(['forbidden', 'not_found', 'validation']);

export function chatError(kind: ErrorKind, extra: Partial<ChatError> = {}): ChatError {
  return { kind, retryable: !NOT_RETRYABLE.has(kind), ...extra };
}

/** True when the browser says it has no network (undefined outside browsers counts as online). */
export const isOffline = (): boolean => globalThis.navigator?.onLine === false;

function kindOf(status: number): ErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500 || status === 409) return 'server';
  return 'validation'; // 400, 413, 415 and any other 4xx: the request itself must change
}

/** `Retry-After` as seconds (delta-seconds or an HTTP date). */
function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header) : (Date.parse(header) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.max(0, Math.ceil(seconds)) : undefined;
}

/** The `ChatError` of an HTTP error response, keeping the server's `detail` sentence. */
export async function responseError(response: Response): Promise<ChatRequestError> {
  const body = (await response.json().catch(() => undefined)) as Partial<ErrorBody> | undefined;
  const info = chatError(kindOf(response.status), { status: response.status });
  if (typeof body?.detail === 'string') info.detail = body.detail;
  if (typeof body?.code === 'string') info.code = body.code;
  const retryAfter = retryAfterSeconds(response.headers.get('Retry-After'));
  if (retryAfter !== undefined) info.retryAfter = retryAfter;
  return new ChatRequestError(info);
}

/** Reads a JWT's `sub` claim without verifying it (the server verifies; we only need the path). */
export function tokenSubject(token: string): string | undefined {
  try {
    const payload = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
    const sub = (JSON.parse(new TextDecoder().decode(bytes)) as { sub?: unknown }).sub;
    return typeof sub === 'string' && sub ? sub : undefined;
  } catch {
    return undefined;
  }
}

export class Transport {
  constructor(private readonly options: () => ChatClientOptions) {}

  /**
   * Sends one request under `/api/{user_id}` and hands the OK response to `read`, all within one
   * deadline. A 401 gets one fresh token from the provider and one more try.
   */
  async request<T>(path: string, init: RequestInit, read: (response: Response, keepAlive: KeepAlive) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token();
      try {
        return await this.attempt(token, path, init, read);
      } catch (error) {
        if (attempt === 0 && error instanceof ChatRequestError && error.info.kind === 'auth') continue;
        throw error;
      }
    }
  }

  /** A JSON request; 204 resolves to undefined. */
  json<T>(path: string, init: RequestInit = {}): Promise<T> {
    return this.request(path, init, async (response) =>
      (response.status === 204 ? undefined : await response.json()) as T,
    );
  }

  private async token(): Promise<string> {
    let token: string | null | undefined;
    try {
      token = await this.options().tokenProvider();
    } catch {
      token = undefined;
    }
    if (!token) throw new ChatRequestError(chatError('auth'));
    return token;
  }

  private async attempt<T>(
    token: string,
    path: string,
    init: RequestInit,
    read: (response: Response, keepAlive: KeepAlive) => Promise<T>,
  ): Promise<T> {
    const options = this.options();
    const userId = options.userId || tokenSubject(token);
    if (!userId) throw new ChatRequestError(chatError('auth'));
    if (isOffline()) throw new ChatRequestError(chatError('offline'));

    const controller = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const keepAlive = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, options.timeoutMs ?? 30_000);
    };
    const abort = () => controller.abort();
    init.signal?.addEventListener('abort', abort);
    if (init.signal?.aborted) controller.abort();
    keepAlive();

    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: init.accept ?? 'application/json' };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    const url = `${options.apiUrl.replace(/\/+$/, '')}/api/${encodeURIComponent(userId)}${path}`;
    try {
      const response = await (options.fetch ?? globalThis.fetch)(url, {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: controller.signal,
        credentials: 'omit',
      });
      if (!response.ok) throw await responseError(response);
      return await read(response, keepAlive);
    } catch (error) {
      if (error instanceof ChatRequestError) throw error;
      if (init.signal?.aborted) throw error; // disposed: the caller drops it
      if (timedOut) throw new ChatRequestError(chatError('timeout'));
      // fetch rejects with a TypeError when the server cannot be reached or the connection drops.
      throw new ChatRequestError(chatError(isOffline() ? 'offline' : 'network'));
    } finally {
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', abort);
    }
  }
}
