import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createApp } from '../src/app.js';
import { signDemoToken } from '../src/http/auth.js';
import { createLogger } from '../src/http/logging.js';
import { newUser, testConfig, testStore } from './helpers.js';

/**
 * A randomized sweep for broken object-level authorization (BOLA/IDOR): signed-in users aim every
 * endpoint at the ids of other users' conversations, messages and tasks. A fixed seed makes a failure
 * reproducible; the ids are fresh each run, the choices are not.
 */
const SEED = 0x5eed_2026;
const ROUNDS = 10;

/** mulberry32: small, fast and deterministic, which is all a sweep needs. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!, next };
}

interface Seeded {
  id: string;
  token: string;
  /** In every message and task description, so any response that carries it has leaked. */
  marker: string;
  conversations: string[];
  messages: { id: string; content: string; clientMessageId: string }[];
  tasks: { id: string; title: string }[];
  mcp: Client;
}

const config = testConfig();
let server: Server;
let base: string;
const users: Seeded[] = [];

async function request(user: Seeded, method: string, path: string, body?: unknown, accept = 'application/json') {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json', accept },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text };
}

before(async () => {
  const store = await testStore();
  const app = createApp({ config, store, logger: createLogger('silent') });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  for (let u = 0; u < 4; u++) {
    const id = newUser();
    const token = await signDemoToken(config.auth, id);
    const mcp = new Client({ name: 'bola-sweep', version: '1.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL('/mcp', base), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
    const user: Seeded = { id, token, marker: `LEAK${randomUUID().slice(0, 12)}`, conversations: [], messages: [], tasks: [], mcp };
    for (let c = 0; c < 2; c++) {
      let conversation: string | null = null;
      for (let m = 0; m < 2; m++) {
        const content = `Hello, remember ${user.marker} part ${c}.${m}`;
        const clientMessageId = randomUUID();
        const res = await request(user, 'POST', `/api/${id}/chat`, { message: content, conversation_id: conversation, client_message_id: clientMessageId });
        assert.equal(res.status, 200, res.text);
        const turn = JSON.parse(res.text);
        conversation = turn.conversation_id as string;
        user.messages.push({ id: turn.user_message_id, content, clientMessageId }, { id: turn.message_id, content: turn.message, clientMessageId: '' });
      }
      user.conversations.push(conversation!);
    }
    for (let t = 0; t < 2; t++) {
      const task = await store.addTask(id, { title: `Chore ${randomUUID().slice(0, 8)}`, description: `private ${user.marker}` });
      user.tasks.push({ id: task.id, title: task.title });
    }
    users.push(user);
  }
});

after(async () => {
  await Promise.all(users.map((u) => u.mcp.close()));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** What only `victim` may see: any of it in a response to someone else is a leak. */
function secretsOf(victim: Seeded): string[] {
  return [
    victim.marker,
    ...victim.conversations,
    ...victim.messages.flatMap((m) => [m.id, m.clientMessageId].filter(Boolean)),
    ...victim.tasks.flatMap((t) => [t.id, t.title]),
  ];
}

/** The owner's own view of everything seeded, to compare before and after the sweep. */
async function snapshot(user: Seeded) {
  const conversations = [];
  for (const id of user.conversations) conversations.push(JSON.parse((await request(user, 'GET', `/api/${user.id}/conversations/${id}`)).text));
  const list = JSON.parse((await request(user, 'GET', `/api/${user.id}/conversations?limit=100`)).text);
  const summaries = (list.conversations as { id: string }[]).filter((c) => user.conversations.includes(c.id)).sort((a, b) => a.id.localeCompare(b.id));
  const tasks = JSON.parse((await request(user, 'GET', `/api/${user.id}/tasks`)).text);
  return { conversations, summaries, tasks };
}

type Attack = (attacker: Seeded, victim: Seeded, rng: ReturnType<typeof random>) => Promise<{
  name: string;
  request: string;
  status: number;
  text: string;
  allowed: number[];
}>;

const own = (attacker: Seeded) => `/api/${attacker.id}`;

/** Every endpoint, aimed at another user's objects. `allowed` is what a correct server may answer. */
const ATTACKS: Record<string, Attack> = {
  async chatWithTheirConversation(a, v, rng) {
    const body = { message: 'what did we talk about?', conversation_id: rng.pick(v.conversations) };
    const accept = rng.pick(['application/json', 'text/event-stream']);
    return { name: `chat (${accept})`, request: JSON.stringify(body), ...(await request(a, 'POST', `${own(a)}/chat`, body, accept)), allowed: [404] };
  },
  async openTheirConversation(a, v, rng) {
    const path = `${own(a)}/conversations/${rng.pick(v.conversations)}`;
    return { name: 'GET conversation', request: path, ...(await request(a, 'GET', path)), allowed: [404] };
  },
  async pageTheirConversation(a, v, rng) {
    const path = `${own(a)}/conversations/${rng.pick(v.conversations)}?limit=5&before=${rng.pick(v.messages).id}`;
    return { name: 'GET conversation ?before', request: path, ...(await request(a, 'GET', path)), allowed: [404] };
  },
  async pageOwnConversationWithTheirCursor(a, v, rng) {
    const path = `${own(a)}/conversations/${rng.pick(a.conversations)}?before=${rng.pick(v.messages).id}`;
    return { name: 'GET own conversation ?before=their message', request: path, ...(await request(a, 'GET', path)), allowed: [400] };
  },
  async renameTheirConversation(a, v, rng) {
    const path = `${own(a)}/conversations/${rng.pick(v.conversations)}`;
    return { name: 'PATCH conversation', request: path, ...(await request(a, 'PATCH', path, { title: 'pwned' })), allowed: [404] };
  },
  async deleteTheirConversation(a, v, rng) {
    const path = `${own(a)}/conversations/${rng.pick(v.conversations)}`;
    return { name: 'DELETE conversation', request: path, ...(await request(a, 'DELETE', path)), allowed: [404] };
  },
  async theirPathWithMyToken(a, v, rng) {
    const conversation = rng.pick(v.conversations);
    const [method, path, body] = rng.pick([
      ['GET', `/api/${v.id}/conversations`],
      ['GET', `/api/${v.id}/conversations/${conversation}`],
      ['GET', `/api/${v.id}/conversations/${conversation}?before=${rng.pick(v.messages).id}`],
      ['PATCH', `/api/${v.id}/conversations/${conversation}`, { title: 'pwned' }],
      ['DELETE', `/api/${v.id}/conversations/${conversation}`],
      ['GET', `/api/${v.id}/tasks`],
      ['POST', `/api/${v.id}/chat`, { message: 'hello', conversation_id: conversation }],
    ] as const);
    return { name: `${method} their path`, request: path, ...(await request(a, method, path, body)), allowed: [403] };
  },
  async listMine(a, _v, rng) {
    const path = `${own(a)}/${rng.pick(['conversations?limit=100', 'tasks', 'tasks?status=pending'])}`;
    return { name: 'GET own list', request: path, ...(await request(a, 'GET', path)), allowed: [200] };
  },
  async reuseTheirClientMessageId(a, v, rng) {
    // Same id and same text as the victim's message: a new turn of the attacker's, never the victim's replay.
    const sent = rng.pick(v.messages.filter((m) => m.clientMessageId));
    const body = { message: sent.content, client_message_id: sent.clientMessageId };
    return { name: 'chat reusing their client_message_id', request: JSON.stringify(body), ...(await request(a, 'POST', `${own(a)}/chat`, body)), allowed: [200] };
  },
  async askTheAssistantForTheirTask(a, v, rng) {
    const task = rng.pick(v.tasks);
    const message = rng.pick([`delete ${task.title}`, `mark ${task.title} as done`, `complete task ${task.id}`, `delete task ${task.id}`]);
    const body = { message };
    return { name: 'chat asking for their task', request: message, ...(await request(a, 'POST', `${own(a)}/chat`, body)), allowed: [200] };
  },
  async mcpToolOnTheirTask(a, v, rng) {
    const task = rng.pick(v.tasks);
    const ref = rng.pick([task.id, task.title]);
    const [name, args] = rng.pick([
      ['complete_task', { task_id: ref }],
      ['update_task', { task_id: ref, title: 'pwned' }],
      ['delete_task', { task_id: ref }],
      ['list_tasks', { status: 'all' }],
    ] as const);
    const result = await a.mcp.callTool({ name, arguments: args });
    const text = JSON.stringify(result);
    const [content] = result.content as { text: string }[];
    if (name !== 'list_tasks') assert.deepEqual(JSON.parse(content!.text), { error: 'Task not found.' }, `MCP ${name} on ${ref}`);
    return { name: `MCP ${name}`, request: JSON.stringify(args), status: 200, text, allowed: [200] };
  },
};

describe('BOLA sweep: users aiming every endpoint at other users\' ids', () => {
  it(`never answers with another user's data and changes nothing of theirs (seed ${SEED})`, async () => {
    const rng = random(SEED);
    const before = await Promise.all(users.map(snapshot));
    const outcomes: Record<string, Record<number, number>> = {};
    // Everything each user has sent so far: what they typed may come back to them (in their own history).
    const sentBy = new Map<Seeded, string>();
    for (let round = 0; round < ROUNDS; round++) {
      // Every endpoint once per round, in a random order, by a random attacker against a random victim.
      const order = Object.keys(ATTACKS).sort(() => rng.next() - 0.5);
      for (const key of order) {
        const attacker = rng.pick(users);
        const victim = rng.pick(users.filter((u) => u !== attacker));
        const result = await ATTACKS[key]!(attacker, victim, rng);
        const where = `${result.name} [${result.request}] (seed ${SEED}, round ${round})`;
        assert.ok(result.allowed.includes(result.status), `${where}: answered ${result.status} ${result.text}`);
        if (result.status >= 400) {
          const body = JSON.parse(result.text);
          assert.equal(typeof body.error, 'string', where);
          assert.equal(typeof body.detail, 'string', where);
        }
        // The attacker may see what they sent (an id they guessed, a title they typed); nothing else of the victim's.
        const sent = (sentBy.get(attacker) ?? '') + result.request;
        sentBy.set(attacker, sent);
        const leaked = users
          .filter((u) => u !== attacker)
          .flatMap(secretsOf)
          .filter((s) => result.text.includes(s) && !sent.includes(s));
        assert.deepEqual(leaked, [], `${where} leaked: ${result.text.slice(0, 400)}`);
        const counts = (outcomes[result.name] ??= {});
        counts[result.status] = (counts[result.status] ?? 0) + 1;
      }
    }
    assert.ok(Object.keys(outcomes).length >= 11, 'every endpoint was tried');

    const afterwards = await Promise.all(users.map(snapshot));
    for (const [i, user] of users.entries()) {
      assert.deepEqual(afterwards[i], before[i], `${user.id}'s conversations, messages and tasks are unchanged`);
    }
  });
});
