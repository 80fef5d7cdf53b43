import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { jwtVerify } from 'jose';
import { OpenAIAgent } from '../src/agent/openai.js';
import type { Task } from '../src/contract.js';
import { httpTasks } from '../src/tasks/http.js';
import { createTaskTools } from '../src/tasks/tools.js';
import { startFakeLlm, type FakeLlm } from './fake-llm.js';
import { newUser, TEST_SECRET, testApp, testConfig } from './helpers.js';
import { signDemoToken } from '../src/http/auth.js';

/**
 * A host todo app with the common hackathon task API, as a real HTTP server: it verifies the
 * bearer token itself (the same Better Auth secret) and only serves the token's own user, with
 * integer ids and a PATCH …/complete that toggles, as many of those apps do.
 */
interface HostTask {
  id: number;
  user_id: string;
  title: string;
  description: string | null;
  completed: boolean;
  created_at: string;
  updated_at: string;
}

interface HostApp {
  url: string;
  tasks: HostTask[];
  seen: { method: string; path: string; authorization?: string }[];
  /** The next request answers with this status (500), or never answers ('hang'). */
  failNext?: number | 'hang';
  close(): Promise<void>;
}

async function startHostApp(): Promise<HostApp> {
  const host: Omit<HostApp, 'url' | 'close'> = { tasks: [], seen: [] };
  let nextId = 1;
  const app = express();
  app.use(express.json());
  app.use((req, res, next) => {
    host.seen.push({ method: req.method, path: req.path, authorization: req.headers.authorization });
    const fail = host.failNext;
    host.failNext = undefined;
    if (fail === 'hang') return;
    if (fail) return void res.status(fail).json({ detail: 'Internal Server Error' });
    next();
  });
  const router = express.Router({ mergeParams: true });
  router.use(async (req, res, next) => {
    try {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const { payload } = await jwtVerify(token, new TextEncoder().encode(TEST_SECRET));
      if (payload.sub !== userOf(req)) return void res.status(403).json({ detail: 'Forbidden' });
      next();
    } catch {
      res.status(401).json({ detail: 'Unauthorized' });
    }
  });
  const userOf = (req: express.Request) => (req.params as { user_id: string }).user_id;
  const own = (req: express.Request) => host.tasks.find((t) => t.user_id === userOf(req) && String(t.id) === req.params.id);
  router.get('/tasks', (req, res) => {
    res.json(host.tasks.filter((t) => t.user_id === userOf(req)));
  });
  router.post('/tasks', (req, res) => {
    if (!req.body?.title?.trim()) return void res.status(422).json({ detail: 'title is required' });
    const now = new Date().toISOString();
    const task = { id: nextId++, user_id: userOf(req), title: req.body.title, description: req.body.description ?? null, completed: false, created_at: now, updated_at: now };
    host.tasks.push(task);
    res.status(201).json(task);
  });
  router.get('/tasks/:id', (req, res) => {
    if (!/^\d+$/.test(req.params.id!)) return void res.status(422).json({ detail: 'id must be an integer' });
    const task = own(req);
    if (!task) return void res.status(404).json({ detail: 'Task not found' });
    res.json(task);
  });
  router.put('/tasks/:id', (req, res) => {
    const task = own(req);
    if (!task) return void res.status(404).json({ detail: 'Task not found' });
    Object.assign(task, { title: req.body.title, description: req.body.description, updated_at: new Date().toISOString() });
    res.json(task);
  });
  router.patch('/tasks/:id/complete', (req, res) => {
    const task = own(req);
    if (!task) return void res.status(404).json({ detail: 'Task not found' });
    task.completed = !task.completed;
    res.json(task);
  });
  router.delete('/tasks/:id', (req, res) => {
    const task = own(req);
    if (!task) return void res.status(404).json({ detail: 'Task not found' });
    host.tasks.splice(host.tasks.indexOf(task), 1);
    res.status(204).end();
  });
  app.use('/api/:user_id', router);

  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return Object.assign(host as HostApp, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

let host: HostApp;
let llm: FakeLlm;
before(async () => {
  host = await startHostApp();
  llm = await startFakeLlm();
});
after(async () => {
  await host.close();
  await llm.close();
});

const config = testConfig();
async function toolsFor(userId: string, timeoutMs = 5_000) {
  const token = await signDemoToken(config.auth, userId);
  return { token, tools: createTaskTools(httpTasks({ baseUrl: `${host.url}/`, timeoutMs })({ userId, token }), userId) };
}

describe('task tools on the host app API (TASKS_API_URL)', () => {
  it("calls the host's API from a chat turn with the user's own token and user id", async () => {
    const agent = new OpenAIAgent({ apiKey: 'sk-fake', baseURL: llm.url, model: 'fake', maxRetries: 0 });
    const { as } = await testApp({ agent, env: { TASKS_API_URL: host.url } });
    const alice = await as(newUser());
    host.seen.length = 0;
    llm.script({ toolCalls: [{ name: 'add_task', arguments: { title: 'Call the bank' } }] }, { text: 'Done.' });
    const res = await alice.chat('add call the bank').expect(200);
    assert.equal(res.body.tool_calls[0].result.title, 'Call the bank');
    assert.deepEqual(host.seen, [{ method: 'POST', path: `/api/${alice.userId}/tasks`, authorization: `Bearer ${alice.token}` }]);
    assert.deepEqual(host.tasks.filter((t) => t.user_id === alice.userId).map((t) => t.title), ['Call the bank']);
  });

  it('adds, lists by status, completes, renames and deletes through the REST API', async () => {
    const userId = newUser();
    const { tools } = await toolsFor(userId);
    const milk = await tools.add_task({ title: '  Buy milk ', description: 'oat' });
    assert.equal(milk.title, 'Buy milk');
    assert.match(milk.id, /^\d+$/, "the host's own ids");
    const bread = await tools.add_task({ title: 'Buy bread' });

    assert.deepEqual(await tools.complete_task({ task_id: milk.id }).then((t) => (t as Task).completed), true);
    // The host toggles on PATCH …/complete: completing twice must not reopen the task.
    assert.equal(((await tools.complete_task({ task_id: 'buy milk' })) as Task).completed, true);
    assert.deepEqual((await tools.list_tasks({ status: 'pending' })).map((t) => t.title), ['Buy bread']);
    assert.deepEqual((await tools.list_tasks({ status: 'completed' })).map((t) => t.title), ['Buy milk']);

    const renamed = (await tools.update_task({ task_id: bread.id, title: 'Buy rye bread' })) as Task;
    assert.deepEqual([renamed.title, renamed.description], ['Buy rye bread', null]);
    const deleted = (await tools.delete_task({ task_id: milk.id })) as Task;
    assert.equal(deleted.title, 'Buy milk');
    assert.deepEqual(host.tasks.filter((t) => t.user_id === userId).map((t) => t.title), ['Buy rye bread']);
    assert.deepEqual(tools.calls.map((c) => c.name), ['add_task', 'add_task', 'complete_task', 'complete_task', 'list_tasks', 'list_tasks', 'update_task', 'delete_task']);
  });

  it("answers Task not found for another user's task id and leaves it alone", async () => {
    const bob = await toolsFor(newUser());
    const bobs = await bob.tools.add_task({ title: "Bob's secret" });
    const untouched = structuredClone(host.tasks.find((t) => String(t.id) === bobs.id));
    const { tools } = await toolsFor(newUser());
    for (const result of [
      await tools.delete_task({ task_id: bobs.id }),
      await tools.complete_task({ task_id: bobs.id }),
      await tools.update_task({ task_id: bobs.id, title: 'mine now' }),
      await tools.delete_task({ task_id: "Bob's secret" }),
    ]) {
      assert.deepEqual(result, { error: 'Task not found.' });
    }
    assert.deepEqual(host.tasks.find((t) => String(t.id) === bobs.id), untouched);
  });

  it('turns host failures into tool errors the model can relay', async () => {
    const { tools } = await toolsFor(newUser(), 400);
    host.failNext = 500;
    assert.match((await tools.invoke('list_tasks', {}) as { error: string }).error, /having trouble right now \(HTTP 500\)/);
    host.failNext = 'hang';
    assert.match((await tools.invoke('add_task', { title: 'slow' }) as { error: string }).error, /took too long/);
    assert.deepEqual(await tools.invoke('complete_task', { task_id: '999999' }), { error: 'Task not found.' });
    assert.deepEqual(tools.calls.map((c) => c.result), [
      { error: 'The task service is having trouble right now (HTTP 500). Please try again in a moment.' },
      { error: 'The task service took too long to answer. Please try again in a moment.' },
      { error: 'Task not found.' },
    ]);
  });

  it('says so when the host refuses the token or cannot be reached', async () => {
    const refused = createTaskTools(httpTasks({ baseUrl: host.url })({ userId: newUser(), token: 'not-a-jwt' }), 'x');
    assert.match((await refused.invoke('list_tasks', {}) as { error: string }).error, /did not accept your sign-in/);
    const closed = await startHostApp();
    await closed.close();
    const unreachable = createTaskTools(httpTasks({ baseUrl: closed.url })({ userId: 'u', token: 't' }), 'u');
    assert.match((await unreachable.invoke('list_tasks', {}) as { error: string }).error, /can't be reached/);
  });
});
