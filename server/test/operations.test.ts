import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, Socket, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import supertest from 'supertest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { packagePath } from '../src/paths.js';
import type { ChatResponse, ConversationDetail } from '../src/contract.js';
import { signDemoToken } from '../src/http/auth.js';
import { createLogger } from '../src/http/logging.js';
import { startServer } from '../src/server.js';
import { Store } from '../src/store/store.js';
import { databaseUrl, newUser, onPostgres, TEST_SECRET, testApp, testConfig, testStore } from './helpers.js';
import { eventually, runMainToExit, ScriptedAgent, spawnServer } from './live.js';

const tempDirs: string[] = [];
after(() => Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true }))));
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-chat-ops-'));
  tempDirs.push(dir);
  return dir;
}

/** Where a spawned server keeps its data: the test PostgreSQL, or a fresh embedded database. */
async function databaseEnv(): Promise<Record<string, string>> {
  return databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: await tempDir() };
}

async function userClient(baseUrl: string, secret = TEST_SECRET) {
  const userId = newUser();
  const token = await signDemoToken(testConfig({ BETTER_AUTH_SECRET: secret }).auth, userId);
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const api = `${baseUrl}/api/${userId}`;
  return {
    userId,
    headers,
    chat: (message: string, conversationId?: string) =>
      fetch(`${api}/chat`, { method: 'POST', headers, body: JSON.stringify({ message, conversation_id: conversationId }) }),
    conversation: async (id: string) => (await (await fetch(`${api}/conversations/${id}`, { headers })).json()) as ConversationDetail,
  };
}

describe('graceful shutdown', () => {
  it('finishes and saves the turn in flight, refuses new requests, then closes', async () => {
    const agent = new ScriptedAgent(['Finishing ', 'before ', 'we go.']);
    const store = await testStore();
    const running = await startServer(testConfig({ PORT: '0', HOST: '127.0.0.1' }), {
      agent,
      store,
      logger: createLogger('silent'),
    });
    const alice = await userClient(running.url);
    const inFlight = alice.chat('one last thing');
    await agent.started.opened;

    const closed = running.close();
    const refused = await alice.chat('and another').then(
      (res) => res.status,
      () => 'connection refused',
    );
    assert.ok(refused === 'connection refused' || refused === 503, `a new request got ${refused}`);

    agent.release.open();
    const res = await inFlight;
    assert.equal(res.status, 200);
    const answer = (await res.json()) as ChatResponse;
    assert.equal(answer.message, 'Finishing before we go.');
    await closed;
    assert.equal(running.server.listening, false);

    const saved = await store.listMessages(alice.userId, answer.conversation_id);
    assert.ok(saved !== 'unknown_cursor');
    assert.deepEqual(
      saved.messages.map((m) => [m.role, m.content]),
      [
        ['user', 'one last thing'],
        ['assistant', 'Finishing before we go.'],
      ],
    );
  });

  it('aborts a turn still running after SHUTDOWN_TIMEOUT_MS, keeps the message, and a retry elsewhere answers it', async () => {
    const agent = new ScriptedAgent(['Almost ', 'done.']);
    const store = await testStore();
    const config = testConfig({ PORT: '0', HOST: '127.0.0.1', SHUTDOWN_TIMEOUT_MS: '100' });
    const first = await startServer(config, { agent, store, logger: createLogger('silent') });
    const alice = await userClient(first.url);
    const client_message_id = randomUUID();
    const send = (url: string) =>
      fetch(`${url}/api/${alice.userId}/chat`, {
        method: 'POST',
        headers: alice.headers,
        body: JSON.stringify({ message: 'a long question', client_message_id }),
      });
    const inFlight = send(first.url);
    await agent.started.opened;
    await first.close();

    const aborted = await inFlight;
    assert.equal(aborted.status, 503);
    assert.deepEqual(await aborted.json(), {
      error: 'Service Unavailable',
      detail: 'The chat server is restarting. Please try again in a moment.',
      code: 'shutting_down',
    });

    const second = await startServer(config, { agent, store, logger: createLogger('silent') });
    try {
      agent.release.open();
      const retried = await send(second.url);
      assert.equal(retried.status, 200);
      const answer = (await retried.json()) as ChatResponse;
      assert.equal(answer.message, 'Almost done.');
      assert.deepEqual(
        (
          (await (
            await fetch(`${second.url}/api/${alice.userId}/conversations/${answer.conversation_id}`, { headers: alice.headers })
          ).json()) as ConversationDetail
        ).messages.map((m) => [m.role, m.content]),
        [
          ['user', 'a long question'],
          ['assistant', 'Almost done.'],
        ],
      );
    } finally {
      await second.close();
    }
  });

  it('exits with code 0 when the real entry point gets SIGTERM', async () => {
    const server = await spawnServer({ BETTER_AUTH_SECRET: TEST_SECRET, LOG_LEVEL: 'info', ...(await databaseEnv()) });
    const alice = await userClient(server.url);
    assert.equal((await alice.chat('hello before shutdown')).status, 200);
    assert.equal(await server.stop('SIGTERM'), 0, server.output());
    assert.match(server.output(), /"msg":"shut down"/);
  });
});

/** A TCP proxy in front of PostgreSQL that a test can cut and restore, like a network outage. */
async function outageProxy(target: URL) {
  const sockets = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) return client.destroy();
    const upstream = new Socket();
    upstream.connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      down = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('database outage', () => {
  it(
    onPostgres
      ? 'answers 503 while PostgreSQL is unreachable and recovers without a restart'
      : 'SKIPPED on embedded PGlite: an outage needs a network database (set DATABASE_URL)',
    { skip: !onPostgres },
    async () => {
      const proxy = await outageProxy(new URL(databaseUrl!));
      const store = await Store.open({ databaseUrl: proxy.url, poolMax: 2 });
      try {
        const { http, as } = await testApp({ store });
        const alice = await as(newUser());
        const first = await alice.chat('before the outage').expect(200);

        proxy.cut();
        const down = await alice.get('/conversations').expect(503);
        assert.equal(down.body.error, 'Service Unavailable');
        assert.equal(down.body.detail, "We can't reach our database right now. Please try again in a moment.");
        assert.ok(Number(down.headers['retry-after']) > 0);
        const chat = await alice.chat('during the outage', { conversation_id: first.body.conversation_id }).expect(503);
        assert.equal(chat.body.error, 'Service Unavailable');
        await http.get('/readyz').expect(503);
        await http.get('/healthz').expect(200);

        proxy.restore();
        await eventually(async () => (await http.get('/readyz')).status === 200, 'readiness after the outage');
        await alice.chat('after the outage', { conversation_id: first.body.conversation_id }).expect(200);
        const detail = await alice.get(`/conversations/${first.body.conversation_id}`).expect(200);
        assert.deepEqual(
          detail.body.messages.filter((m: { role: string }) => m.role === 'user').map((m: { content: string }) => m.content),
          ['before the outage', 'after the outage'],
        );
      } finally {
        await store.close();
        await proxy.close();
      }
    },
  );
});

describe('configuration at start-up', () => {
  it('docs/configuration.md documents every variable config.ts reads', async () => {
    const source = await readFile(packagePath('server', 'src', 'config.ts'), 'utf8');
    const names = new Set([...source.matchAll(/env\.([A-Z][A-Z0-9_]+)|\(env, '([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1] ?? m[2]!));
    assert.ok(names.size >= 20, `found ${[...names].join(', ')}`);
    const docs = await readFile(packagePath('docs', 'configuration.md'), 'utf8');
    const missing = [...names].filter((name) => !docs.includes(`| \`${name}\` |`));
    assert.deepEqual(missing, [], 'each variable has a row in the table');
  });

  it('refuses to start in production without authentication, saying what to set', async () => {
    const { code, output } = await runMainToExit({ NODE_ENV: 'production', ...(await databaseEnv()) });
    assert.notEqual(code, 0);
    assert.match(output, /No authentication is configured\. Set BETTER_AUTH_SECRET .* or AUTH_JWKS_URL/);
  });

  it('exits non-zero with a sentence when PostgreSQL cannot be reached at start-up', async () => {
    const { code, output } = await runMainToExit({
      BETTER_AUTH_SECRET: TEST_SECRET,
      DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:1/todo',
    });
    assert.equal(code, 1);
    assert.match(output, /cannot reach PostgreSQL at 127\.0\.0\.1:1\/todo \(DATABASE_URL\)\. Check that it is running/);
    assert.ok(!output.includes('hunter2'), 'the password is not printed');
  });

  it('serves the demo page and demo tokens only in demo mode', async () => {
    const store = await testStore();
    const demo = supertest(createApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), store }));
    const page = await demo.get('/').expect(200);
    assert.match(page.headers['content-type'], /^text\/html/);
    assert.match(page.text, /todo-chat\.js/);
    const { body } = await demo.post('/demo/token').send({ user_id: 'demo-visitor' }).expect(200);
    assert.equal(body.user_id, 'demo-visitor');
    await demo.get('/api/demo-visitor/conversations').set('Authorization', `Bearer ${body.token}`).expect(200);

    const modes: Record<string, string>[] = [{}, { NODE_ENV: 'production', BETTER_AUTH_SECRET: TEST_SECRET }];
    for (const env of modes) {
      const { http } = await testApp({ env });
      await http.get('/').expect(404);
      await http.post('/demo/token').send({ user_id: 'intruder' }).expect(404);
    }
  });

  it('keeps conversations on the embedded database across a restart on the same DATA_DIR', async () => {
    const config = loadConfig({
      DATA_DIR: await tempDir(),
      BETTER_AUTH_SECRET: TEST_SECRET,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    });
    assert.equal(config.databaseUrl, undefined);
    const first = await startServer(config);
    const alice = await userClient(first.url);
    const answer = (await (await alice.chat('remember me')).json()) as ChatResponse;
    await first.close();

    const second = await startServer(config);
    try {
      assert.equal(second.store.kind, 'pglite');
      const again = await userClient(second.url);
      const detail = await (
        await fetch(`${second.url}/api/${alice.userId}/conversations/${answer.conversation_id}`, {
          headers: { Authorization: `Bearer ${await signDemoToken(config.auth, alice.userId)}` },
        })
      ).json() as ConversationDetail;
      assert.deepEqual(
        detail.messages.map((m) => [m.role, m.content]),
        [
          ['user', 'remember me'],
          ['assistant', answer.message],
        ],
      );
      assert.equal((await again.chat('a new user on the restarted server')).status, 200);
    } finally {
      await second.close();
    }
  });
});
