import type { Task, ToolCall } from '../contract.js';
import type { Store, TaskFilter } from '../store/store.js';
import { isTaskToolName, type TaskToolName } from './definitions.js';
import { ToolError } from './errors.js';
import { storeTasks, type TaskChanges, type TaskService } from './service.js';

/**
 * The assistant's five task tools, bound to one authenticated user when a turn starts. No tool takes
 * a user id: whatever the model asks for, it can only see and change this user's tasks. Each call is
 * recorded so the turn can report it in `tool_calls`.
 *
 * The typed methods throw a `ToolError` when the arguments are unusable (an empty or over-long title)
 * or the task service fails; a task that is not the caller's is the result `{ error: 'Task not found.' }`.
 * `invoke` is the entry point for model output: any name, any arguments, and every failure is a result.
 */
export interface TaskTools {
  add_task(args: { title: string; description?: string }): Promise<Task>;
  list_tasks(args?: { status?: TaskFilter['status'] }): Promise<Task[]>;
  complete_task(args: { task_id: string }): Promise<Task | { error: string }>;
  update_task(args: { task_id: string; title?: string; description?: string }): Promise<Task | { error: string }>;
  delete_task(args: { task_id: string }): Promise<Task | { error: string }>;
  /** Runs a tool by name with arguments exactly as a model sent them; failures come back as `{ error }`. */
  invoke(name: string, args: unknown): Promise<unknown>;
  /** Every call made so far in this turn, in order. */
  readonly calls: readonly ToolCall[];
}

export const TITLE_MAX_LENGTH = 200;
export const DESCRIPTION_MAX_LENGTH = 2000;
const NOT_FOUND = Object.freeze({ error: 'Task not found.' });
const STATUSES: Record<string, Required<TaskFilter>['status']> = {
  all: 'all',
  pending: 'pending',
  open: 'pending',
  incomplete: 'pending',
  todo: 'pending',
  completed: 'completed',
  complete: 'completed',
  done: 'completed',
};

/**
 * Creates the task tools for one user: from the store's `task` table (the default), or from any
 * `TaskService` already bound to that user (the host app's API when TASKS_API_URL is set).
 */
export function createTaskTools(source: Store | TaskService, userId: string): TaskTools {
  const tasks = 'list' in source ? source : storeTasks(source)({ userId });
  const calls: ToolCall[] = [];

  async function record<T>(name: TaskToolName, args: unknown, run: (args: Record<string, unknown>) => Promise<T>): Promise<T> {
    const plain = asArguments(args);
    const recorded = plain ?? { value: args };
    try {
      if (!plain) throw new ToolError('The arguments must be a JSON object, e.g. {"title": "Buy milk"}.');
      const result = await run(plain);
      calls.push({ name, arguments: recorded, result });
      return result;
    } catch (error) {
      const message = error instanceof ToolError ? error.detail : 'Something went wrong on our side.';
      calls.push({ name, arguments: recorded, result: { error: message } });
      throw error;
    }
  }

  /** Finds the caller's task by id, else by exact title; nobody else's task is ever a candidate. */
  async function resolve(args: Record<string, unknown>): Promise<Task | { error: string }> {
    const ref = taskRef(args.task_id);
    if (ref.length > 200) return NOT_FOUND;
    const byId = await tasks.get(ref);
    if (byId) return byId;
    const wanted = normalize(ref);
    const named = (await tasks.list({ status: 'all' })).filter((task) => normalize(task.title) === wanted);
    if (named.length > 1) {
      return { error: `There are ${named.length} tasks called "${named[0]!.title}". Say which one by its id (list_tasks shows them).` };
    }
    return named[0] ?? NOT_FOUND;
  }

  const tools: Omit<TaskTools, 'invoke' | 'calls'> = {
    add_task: (args) =>
      record('add_task', args, (a) =>
        tasks.add({ title: title(a.title, true)!, description: description(a.description) ?? null }),
      ),
    list_tasks: (args = {}) => record('list_tasks', args, (a) => tasks.list({ status: status(a.status) })),
    complete_task: (args) =>
      record('complete_task', args, async (a) => {
        const task = await resolve(a);
        if ('error' in task) return task;
        return task.completed ? task : ((await tasks.complete(task.id)) ?? NOT_FOUND);
      }),
    update_task: (args) =>
      record('update_task', args, async (a) => {
        const changes: TaskChanges = {};
        const newTitle = title(a.title, false);
        const newDescription = description(a.description);
        if (newTitle !== undefined) changes.title = newTitle;
        if (newDescription !== undefined) changes.description = newDescription;
        if (!Object.keys(changes).length) throw new ToolError('Nothing to change: give a new title or a new description.');
        const task = await resolve(a);
        if ('error' in task) return task;
        return (await tasks.update(task.id, changes)) ?? NOT_FOUND;
      }),
    delete_task: (args) =>
      record('delete_task', args, async (a) => {
        const task = await resolve(a);
        if ('error' in task) return task;
        return (await tasks.remove(task.id)) ?? NOT_FOUND;
      }),
  };

  return {
    ...tools,
    calls,
    async invoke(name, args) {
      if (!isTaskToolName(name)) {
        const result = { error: `There is no tool called "${name}". The tools are add_task, list_tasks, complete_task, update_task and delete_task.` };
        calls.push({ name, arguments: asArguments(args) ?? { value: args }, result });
        return result;
      }
      try {
        return await (tools[name] as (args: unknown) => Promise<unknown>)(args);
      } catch (error) {
        if (error instanceof ToolError) return error.result;
        throw error;
      }
    },
  };
}

/** Model output can be anything; a tool only ever reads named fields of a plain object (a copy). */
function asArguments(args: unknown): Record<string, unknown> | undefined {
  if (args === undefined || args === null) return {};
  if (typeof args === 'object' && !Array.isArray(args)) return { ...(args as Record<string, unknown>) };
  return undefined;
}

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

function storable(value: string, field: string): string {
  if (value.includes('\u0000') || !value.isWellFormed()) {
    throw new ToolError(`The ${field} contains characters that can't be stored.`);
  }
  return value;
}

function title(value: unknown, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw new ToolError('A task needs a title, e.g. {"title": "Buy milk"}.');
    return undefined;
  }
  if (typeof value !== 'string') throw new ToolError('The title must be text.');
  const trimmed = value.trim();
  if (!trimmed) throw new ToolError("A task title can't be empty.");
  const length = [...trimmed].length;
  if (length > TITLE_MAX_LENGTH) {
    throw new ToolError(`A task title can be at most ${TITLE_MAX_LENGTH} characters; this one has ${length}. Put the details in the description.`);
  }
  return storable(trimmed, 'title');
}

function description(value: unknown): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'string') throw new ToolError('The description must be text.');
  const length = [...value].length;
  if (length > DESCRIPTION_MAX_LENGTH) {
    throw new ToolError(`A task description can be at most ${DESCRIPTION_MAX_LENGTH} characters; this one has ${length}.`);
  }
  return storable(value.trim(), 'description') || null;
}

function status(value: unknown): Required<TaskFilter>['status'] {
  if (value === undefined || value === null || value === '') return 'all';
  const known = typeof value === 'string' ? STATUSES[value.trim().toLowerCase()] : undefined;
  if (!known) throw new ToolError('The status must be "all", "pending" or "completed".');
  return known;
}

function taskRef(value: unknown): string {
  // Host apps often number their tasks, and models send those numbers as JSON numbers.
  const ref = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof ref !== 'string' || !ref.trim()) {
    throw new ToolError('Say which task: give its task_id from list_tasks, or its exact title.');
  }
  return ref.trim();
}
