import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createApp } from '../src/app.js';
import { signDemoToken } from '../src/http/auth.js';
import { createLogger } from '../src/http/logging.js';
import type { Task } from '../src/contract.js';
import { newUser, testConfig, testStore } from './helpers.js';

const config = testConfig();
let server: Server;
let mcpUrl: URL;
const clients: Client[] = [];

before(async () => {
  const app = createApp({ config, store: await testStore(), logger: createLogger('silent') });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mcpUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
});
after(async () => {
  await Promise.all(clients.map((client) => client.close()));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** An MCP client signed in as `userId`, through the SDK's own Streamable HTTP transport. */
async function connect(userId: string) {
  const token = await signDemoToken(config.auth, userId);
  const client = new Client({ name: 'todo-chat-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  clients.push(client);
  async function call(name: string, args: Record<string, unknown> = {}) {
    const result = await client.callTool({ name, arguments: args });
    const [content] = result.content as { type: string; text: string }[];
    return { isError: result.isError === true, data: JSON.parse(content!.text) };
  }
  return { client, call };
}

describe('MCP endpoint (/mcp, Streamable HTTP)', () => {
  it('lists the five task tools, none of which takes a user id', async () => {
    const { client } = await connect(newUser());
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['add_task', 'complete_task', 'delete_task', 'list_tasks', 'update_task']);
    for (const tool of tools) {
      assert.ok(tool.description);
      assert.doesNotMatch(JSON.stringify(tool.inputSchema), /user_?id/i);
    }
    assert.equal(tools.find((t) => t.name === 'delete_task')!.annotations?.destructiveHint, true);
  });

  it('adds, lists, completes and deletes a task for the signed-in user', async () => {
    const { call } = await connect(newUser());
    const added = await call('add_task', { title: 'Renew passport' });
    assert.equal(added.isError, false);
    assert.equal((added.data as Task).title, 'Renew passport');

    const pending = await call('list_tasks', { status: 'pending' });
    assert.deepEqual((pending.data as Task[]).map((t) => t.title), ['Renew passport']);

    const done = await call('complete_task', { task_id: (added.data as Task).id });
    assert.equal((done.data as Task).completed, true);
    assert.deepEqual((await call('list_tasks', { status: 'pending' })).data, []);

    const deleted = await call('delete_task', { task_id: 'renew passport' });
    assert.equal((deleted.data as Task).id, (added.data as Task).id);
    assert.deepEqual((await call('list_tasks')).data, []);
  });

  it('returns tool errors in words for unusable arguments', async () => {
    const { call } = await connect(newUser());
    const empty = await call('add_task', { title: '  ' });
    assert.equal(empty.isError, true);
    assert.match(empty.data.error, /can't be empty/);
    const long = await call('add_task', { title: 'y'.repeat(250) });
    assert.match(long.data.error, /at most 200 characters/);
  });

  it('keeps two users apart: neither sees nor changes the other one\'s tasks', async () => {
    const alice = await connect(newUser());
    const bob = await connect(newUser());
    const secret = (await alice.call('add_task', { title: 'Alice only' })).data as Task;

    assert.deepEqual((await bob.call('list_tasks')).data, []);
    for (const [name, args] of [
      ['delete_task', { task_id: secret.id }],
      ['complete_task', { task_id: secret.id }],
      ['update_task', { task_id: secret.id, title: 'Bob was here' }],
      ['delete_task', { task_id: 'Alice only' }],
    ] as const) {
      const result = await bob.call(name, args);
      assert.deepEqual(result, { isError: true, data: { error: 'Task not found.' } });
    }
    const still = (await alice.call('list_tasks')).data as Task[];
    assert.deepEqual(still.map((t) => [t.title, t.completed]), [['Alice only', false]]);
  });

  it('answers 401 {error, detail} without a token, and the SDK client cannot connect', async () => {
    const res = await fetch(mcpUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { error: 'Unauthorized', detail: 'Please sign in to use the chat.', code: 'missing_token' });

    const client = new Client({ name: 'anonymous', version: '1.0.0' });
    await assert.rejects(client.connect(new StreamableHTTPClientTransport(mcpUrl)));
    const forged = new Client({ name: 'forged', version: '1.0.0' });
    await assert.rejects(
      forged.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers: { Authorization: 'Bearer abc.def.ghi' } } })),
    );
  });

  it('refuses GET and DELETE with 405, as a stateless endpoint has no sessions', async () => {
    const token = await signDemoToken(config.auth, newUser());
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(mcpUrl, { method, headers: { Authorization: `Bearer ${token}` } });
      assert.equal(res.status, 405);
      assert.equal((await res.json()).code, 'method_not_allowed');
    }
  });
});
