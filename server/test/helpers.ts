import { randomUUID } from 'node:crypto';
import { after } from 'node:test';
import supertest from 'supertest';
import type { Agent } from '../src/agent/agent.js';
import { createApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { signDemoToken } from '../src/http/auth.js';
import { createLogger, type Logger } from '../src/http/logging.js';
import { Store } from '../src/store/store.js';

/**
 * The real database the suite runs on: PostgreSQL when DATABASE_URL is set (CI), otherwise an
 * in-memory embedded PGlite, so `npm test` passes on a bare machine. Users are fresh UUIDs per test,
 * and every query filters by user, so tests share one database without seeing each other's rows.
 */
export const databaseUrl = process.env.DATABASE_URL || undefined;
export const onPostgres = !!databaseUrl;

let shared: Promise<Store> | undefined;

// Registered at the top level, so it runs once after the whole file, not after the first test.
after(async () => (await shared)?.close());

export function testStore(): Promise<Store> {
  shared ??= (async () => {
    const store = await Store.open({ databaseUrl, dataDir: ':memory:', poolMax: 20 });
    await store.migrate();
    return store;
  })();
  return shared;
}

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ BETTER_AUTH_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', ...env });
}

export const newUser = () => `user-${randomUUID()}`;

export interface TestApp {
  config: Config;
  store: Store;
  http: ReturnType<typeof supertest>;
  token(userId: string, expiresIn?: string | number): Promise<string>;
  /** An authenticated request helper for one user. */
  as(userId: string): Promise<UserClient>;
}

export interface UserClient {
  userId: string;
  token: string;
  get(path: string): supertest.Test;
  post(path: string, body?: unknown): supertest.Test;
  patch(path: string, body?: unknown): supertest.Test;
  delete(path: string): supertest.Test;
  chat(message: string, extra?: Record<string, unknown>): supertest.Test;
}

export async function testApp(
  options: { env?: Record<string, string>; agent?: Agent; logger?: Logger; store?: Store } = {},
): Promise<TestApp> {
  const config = testConfig(options.env);
  const store = options.store ?? (await testStore());
  const app = createApp({ config, store, agent: options.agent, logger: options.logger ?? createLogger('silent') });
  const http = supertest(app);
  const token = (userId: string, expiresIn?: string | number) => signDemoToken(config.auth, userId, expiresIn);
  return {
    config,
    store,
    http,
    token,
    async as(userId) {
      const bearer = await token(userId);
      const auth = (test: supertest.Test) => test.set('Authorization', `Bearer ${bearer}`);
      const base = `/api/${encodeURIComponent(userId)}`;
      return {
        userId,
        token: bearer,
        get: (path) => auth(http.get(base + path)),
        post: (path, body) => auth(http.post(base + path)).send(body as object),
        patch: (path, body) => auth(http.patch(base + path)).send(body as object),
        delete: (path) => auth(http.delete(base + path)),
        chat: (message, extra = {}) => auth(http.post(`${base}/chat`)).send({ message, ...extra }),
      };
    },
  };
}
