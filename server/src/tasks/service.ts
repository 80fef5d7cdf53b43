import type { Task } from '../contract.js';
import type { Store, TaskFilter } from '../store/store.js';

/** The caller a task service acts for: the id (and, for a host API, the bearer token) of the verified token. */
export interface TaskUser {
  userId: string;
  /** The caller's own bearer token, forwarded to the host app's task API (TASKS_API_URL). */
  token?: string;
}

export interface TaskChanges {
  title?: string;
  description?: string | null;
}

/**
 * Where one user's tasks live. Already bound to the user: no method takes a user id, so nothing
 * above this seam can reach another user's tasks. `undefined` means "no such task for this user".
 */
export interface TaskService {
  list(filter: Required<TaskFilter>): Promise<Task[]>;
  get(id: string): Promise<Task | undefined>;
  add(input: { title: string; description?: string | null }): Promise<Task>;
  update(id: string, changes: TaskChanges): Promise<Task | undefined>;
  complete(id: string): Promise<Task | undefined>;
  remove(id: string): Promise<Task | undefined>;
}

/** Makes the task service for one verified caller (one per chat turn or MCP request). */
export type TaskBackend = (user: TaskUser) => TaskService;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The default backend: the `task` table through the store. */
export function storeTasks(store: Store): TaskBackend {
  return ({ userId }) => {
    // The column is a uuid: anything else (a title, a number a model made up) cannot match a row,
    // and asking PostgreSQL would only turn it into a cast error.
    const ifUuid = <T>(id: string, run: () => Promise<T | undefined>) => (UUID.test(id) ? run() : Promise.resolve(undefined));
    return {
      list: (filter) => store.listTasks(userId, filter),
      get: (id) => ifUuid(id, () => store.getTask(userId, id)),
      add: (input) => store.addTask(userId, input),
      update: (id, changes) => ifUuid(id, () => store.updateTask(userId, id, changes)),
      complete: (id) => ifUuid(id, () => store.updateTask(userId, id, { completed: true })),
      remove: (id) => ifUuid(id, () => store.deleteTask(userId, id)),
    };
  };
}
