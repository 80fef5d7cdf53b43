import type { Task, ToolCall } from '../contract.js';
import type { Store, TaskFilter } from '../store/store.js';

/**
 * The assistant's five task tools, bound to one authenticated user when a turn starts. No tool takes
 * a user id: whatever the model asks for, it can only see and change this user's tasks. Each call is
 * recorded so the turn can report it in `tool_calls`.
 */
export interface TaskTools {
  add_task(args: { title: string; description?: string }): Promise<Task>;
  list_tasks(args?: { status?: TaskFilter['status'] }): Promise<Task[]>;
  complete_task(args: { task_id: string }): Promise<Task | { error: string }>;
  update_task(args: { task_id: string; title?: string; description?: string }): Promise<Task | { error: string }>;
  delete_task(args: { task_id: string }): Promise<Task | { error: string }>;
  /** Every call made so far in this turn, in order. */
  readonly calls: readonly ToolCall[];
}

const NOT_FOUND = { error: 'Task not found.' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Creates the task tools for one user, backed by the store's `task` table. */
export function createTaskTools(store: Store, userId: string): TaskTools {
  const calls: ToolCall[] = [];
  async function record<T>(name: string, args: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
    const result = await run();
    calls.push({ name, arguments: args, result });
    return result;
  }
  // A task id the model made up (or took from another user) is simply "not found".
  const existing = (id: string) => (UUID.test(id) ? store.getTask(userId, id) : Promise.resolve(undefined));

  return {
    calls,
    add_task: (args) =>
      record('add_task', args, () => store.addTask(userId, { title: args.title.trim(), description: args.description })),
    list_tasks: (args = {}) => record('list_tasks', args, () => store.listTasks(userId, { status: args.status ?? 'all' })),
    complete_task: (args) =>
      record('complete_task', args, async () =>
        (await existing(args.task_id)) ? (await store.updateTask(userId, args.task_id, { completed: true }))! : NOT_FOUND,
      ),
    update_task: (args) =>
      record('update_task', args, async () => {
        if (!(await existing(args.task_id))) return NOT_FOUND;
        const changes: { title?: string; description?: string } = {};
        if (args.title !== undefined) changes.title = args.title.trim();
        if (args.description !== undefined) changes.description = args.description;
        return (await store.updateTask(userId, args.task_id, changes))!;
      }),
    delete_task: (args) =>
      record('delete_task', args, async () =>
        (await existing(args.task_id)) ? (await store.deleteTask(userId, args.task_id))! : NOT_FOUND,
      ),
  };
}
