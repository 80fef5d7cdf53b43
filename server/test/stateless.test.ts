import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ChatResponse, ConversationDetail, ConversationList } from '../src/contract.js';
import { signDemoToken } from '../src/http/auth.js';
import { databaseUrl, newUser, onPostgres, TEST_SECRET, testConfig } from './helpers.js';
import { spawnServer, type ServerProcess } from './live.js';

/**
 * Two real server processes with the same secret and the same PostgreSQL, as two instances behind
 * a load balancer: nothing about a conversation may live in either one's memory.
 */
describe('stateless instances', () => {
  const running: ServerProcess[] = [];
  after(() => Promise.all(running.map((server) => server.stop())));

  it(
    onPostgres
      ? 'continue one conversation alternately on two instances, every message once and in order'
      : 'SKIPPED on embedded PGlite: two processes cannot share one embedded database (set DATABASE_URL)',
    { skip: !onPostgres },
    async () => {
      const env = { BETTER_AUTH_SECRET: TEST_SECRET, DATABASE_URL: databaseUrl!, LOG_LEVEL: 'info' };
      const start = () => spawnServer(env).then((server) => (running.push(server), server));
      const instances = await Promise.all([start(), start()]);
      assert.notEqual(instances[0]!.url, instances[1]!.url);

      const userId = newUser();
      const token = await signDemoToken(testConfig().auth, userId);
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      const api = (i: number) => `${instances[i % 2]!.url}/api/${userId}`;

      const sent = ['add task call the plumber', 'show my tasks', 'add task pay rent', 'hello again', 'list my tasks'];
      const answers: string[] = [];
      let conversationId: string | null = null;
      for (const [i, message] of sent.entries()) {
        const res: Response = await fetch(`${api(i)}/chat`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ message, conversation_id: conversationId }),
        });
        assert.equal(res.status, 200, `turn ${i + 1} on instance ${(i % 2) + 1}`);
        const body = (await res.json()) as ChatResponse;
        conversationId = body.conversation_id;
        answers.push(body.message);
      }
      // The tasks added on one instance were seen by the other.
      assert.match(answers[4]!, /call the plumber[\s\S]*pay rent/);

      for (const i of [0, 1]) {
        const detail = (await (await fetch(`${api(i)}/conversations/${conversationId}`, { headers })).json()) as ConversationDetail;
        assert.deepEqual(
          detail.messages.map((m) => [m.role, m.content]),
          sent.flatMap((message, turn) => [
            ['user', message],
            ['assistant', answers[turn]],
          ]),
        );
      }

      // A second conversation started on instance 2; both list the same two.
      await fetch(`${api(1)}/chat`, { method: 'POST', headers, body: JSON.stringify({ message: 'a second conversation' }) });
      const lists = await Promise.all(
        [0, 1].map(async (i) => (await (await fetch(`${api(i)}/conversations`, { headers })).json()) as ConversationList),
      );
      assert.equal(lists[0]!.total, 2);
      assert.deepEqual(lists[0], lists[1]);
    },
  );
});
