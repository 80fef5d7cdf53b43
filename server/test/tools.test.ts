import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Task } from '../src/contract.js';
import { ToolError } from '../src/tasks/errors.js';
import { createTaskTools } from '../src/tasks/tools.js';
import { newUser, testStore } from './helpers.js';

async function toolsFor(userId = newUser()) {
  return createTaskTools(await testStore(), userId);
}

describe('task tools on the task table', () => {
  it('lists by status, oldest first, and understands the usual words for it', async () => {
    const tools = await toolsFor();
    const a = await tools.add_task({ title: 'first' });
    await tools.add_task({ title: 'second' });
    await tools.complete_task({ task_id: a.id });
    assert.deepEqual((await tools.list_tasks()).map((t) => t.title), ['first', 'second']);
    assert.deepEqual((await tools.list_tasks({ status: 'pending' })).map((t) => t.title), ['second']);
    assert.deepEqual((await tools.list_tasks({ status: 'completed' })).map((t) => t.title), ['first']);
    assert.deepEqual(((await tools.invoke('list_tasks', { status: 'done' })) as Task[]).map((t) => t.title), ['first']);
    assert.deepEqual(await tools.invoke('list_tasks', { status: 'archived' }), { error: 'The status must be "all", "pending" or "completed".' });
  });

  it('refuses empty and over-long titles and descriptions with a sentence, storing nothing', async () => {
    const tools = await toolsFor();
    await assert.rejects(tools.add_task({ title: ' \n ' }), (error: unknown) => error instanceof ToolError && /can't be empty/.test(error.detail));
    assert.deepEqual(await tools.invoke('add_task', {}), { error: 'A task needs a title, e.g. {"title": "Buy milk"}.' });
    assert.deepEqual(await tools.invoke('add_task', { title: 42 }), { error: 'The title must be text.' });
    assert.match((await tools.invoke('add_task', { title: 'é'.repeat(201) }) as { error: string }).error, /at most 200 characters; this one has 201/);
    assert.match((await tools.invoke('add_task', { title: 'ok', description: 'd'.repeat(2001) }) as { error: string }).error, /at most 2000/);
    assert.match((await tools.invoke('add_task', { title: 'a\u0000b' }) as { error: string }).error, /can't be stored/);
    assert.equal((await tools.add_task({ title: 'é'.repeat(200) })).title.length, 200, '200 characters is fine');
    assert.equal((await tools.list_tasks()).length, 1);
  });

  it('finds a task by its exact title (any case) and asks for the id when two share it', async () => {
    const tools = await toolsFor();
    await tools.add_task({ title: 'Call Mum' });
    assert.equal(((await tools.complete_task({ task_id: '  call   mum ' })) as Task).completed, true);
    await tools.add_task({ title: 'Water plants' });
    await tools.add_task({ title: 'water plants' });
    assert.match(((await tools.delete_task({ task_id: 'Water plants' })) as { error: string }).error, /There are 2 tasks called/);
    assert.equal((await tools.list_tasks()).length, 3);
  });

  it('updates only what is given, and says when nothing is', async () => {
    const tools = await toolsFor();
    const task = await tools.add_task({ title: 'Draft', description: 'old' });
    const renamed = (await tools.update_task({ task_id: task.id, title: 'Final' })) as Task;
    assert.deepEqual([renamed.title, renamed.description], ['Final', 'old']);
    const cleared = (await tools.invoke('update_task', { task_id: task.id, description: null })) as Task;
    assert.deepEqual([cleared.title, cleared.description], ['Final', null]);
    assert.deepEqual(await tools.invoke('update_task', { task_id: task.id }), { error: 'Nothing to change: give a new title or a new description.' });
  });

  it('treats made-up, malformed and foreign ids alike: Task not found, nothing touched', async () => {
    const other = await toolsFor();
    const theirs = await other.add_task({ title: 'not yours' });
    const tools = await toolsFor();
    for (const task_id of [theirs.id, '00000000-0000-0000-0000-000000000000', '1', "'; drop table task; --", 7]) {
      assert.deepEqual(await tools.invoke('delete_task', { task_id }), { error: 'Task not found.' });
    }
    assert.deepEqual(await tools.invoke('complete_task', {}), { error: 'Say which task: give its task_id from list_tasks, or its exact title.' });
    assert.deepEqual((await other.list_tasks()).map((t) => [t.title, t.completed]), [['not yours', false]]);
  });

  it('records every call, failed ones included, with the arguments as sent and the result', async () => {
    const tools = await toolsFor();
    const task = await tools.add_task({ title: 'Read' });
    await tools.invoke('complete_task', { task_id: task.id });
    await tools.invoke('add_task', ['not', 'an', 'object']);
    await tools.invoke('rename_everything', { to: 'x' });
    assert.deepEqual(
      tools.calls.map((c) => [c.name, c.arguments, 'error' in (c.result as object) ? (c.result as { error: string }).error : 'ok']),
      [
        ['add_task', { title: 'Read' }, 'ok'],
        ['complete_task', { task_id: task.id }, 'ok'],
        ['add_task', { value: ['not', 'an', 'object'] }, 'The arguments must be a JSON object, e.g. {"title": "Buy milk"}.'],
        ['rename_everything', { to: 'x' }, 'There is no tool called "rename_everything". The tools are add_task, list_tasks, complete_task, update_task and delete_task.'],
      ],
    );
  });
});
