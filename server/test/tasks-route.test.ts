import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Task } from '../src/contract.js';
import { newUser, testApp } from './helpers.js';

const titles = (tasks: Task[]) => tasks.map((t) => t.title);

describe('GET /api/{user_id}/tasks', () => {
  it('lists the tasks in the order they were made, filtered by status', async () => {
    const { as, store } = await testApp();
    const alice = await as(newUser());
    const milk = await store.addTask(alice.userId, { title: 'buy milk' });
    await store.addTask(alice.userId, { title: 'call mum', description: 'about Sunday' });
    const plants = await store.addTask(alice.userId, { title: 'water plants' });
    await store.updateTask(alice.userId, milk.id, { completed: true });
    await store.updateTask(alice.userId, plants.id, { completed: true });

    const all = (await alice.get('/tasks').expect(200)).body.tasks as Task[];
    assert.deepEqual(titles(all), ['buy milk', 'call mum', 'water plants']);
    assert.deepEqual((await alice.get('/tasks?status=all').expect(200)).body.tasks, all);
    assert.deepEqual(titles((await alice.get('/tasks?status=pending').expect(200)).body.tasks), ['call mum']);
    assert.deepEqual(titles((await alice.get('/tasks?status=completed').expect(200)).body.tasks), ['buy milk', 'water plants']);

    const mum = all[1]!;
    assert.deepEqual(Object.keys(mum).sort(), ['completed', 'created_at', 'description', 'id', 'title', 'updated_at']);
    assert.equal(mum.description, 'about Sunday');
    assert.equal(mum.completed, false);
    assert.equal(all[0]!.description, null);
    assert.match(mum.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('shows what the assistant changed during a chat', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    assert.deepEqual((await alice.get('/tasks').expect(200)).body, { tasks: [] });
    const turn = await alice.chat('add task book the dentist').expect(200);
    assert.equal(turn.body.tool_calls.length, 1);
    const [task] = (await alice.get('/tasks?status=pending').expect(200)).body.tasks;
    assert.equal(task.title, 'book the dentist');
    assert.deepEqual((await alice.get('/tasks?status=completed').expect(200)).body.tasks, []);
  });

  it("never shows another user's tasks", async () => {
    const { as, store } = await testApp();
    const alice = await as(newUser());
    const bob = await as(newUser());
    await store.addTask(alice.userId, { title: 'alice only' });
    await store.addTask(bob.userId, { title: 'bob only' });
    for (const status of ['all', 'pending']) {
      assert.deepEqual(titles((await bob.get(`/tasks?status=${status}`).expect(200)).body.tasks), ['bob only']);
    }
  });

  it('refuses a status it does not know with a sentence that lists the choices', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const res = await alice.get('/tasks?status=done').expect(400);
    assert.deepEqual(res.body, {
      error: 'Bad Request',
      detail: 'Validation error: status must be one of all, pending, completed.',
      code: 'invalid_query',
    });
  });

  it("answers 403 when the path names someone else's user id", async () => {
    const { as, http, token } = await testApp();
    const alice = await as(newUser());
    const bob = newUser();
    const res = await http.get(`/api/${bob}/tasks`).set('Authorization', `Bearer ${alice.token}`).expect(403);
    assert.equal(res.body.code, 'forbidden');
    await http.get(`/api/${bob}/tasks`).set('Authorization', `Bearer ${await token(bob)}`).expect(200);
  });
});
