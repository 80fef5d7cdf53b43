import type { Task } from '../contract.js';
import { ToolError } from './errors.js';
import type { TaskBackend, TaskService } from './service.js';

export interface HttpTasksOptions {
  /** The host app's base URL (TASKS_API_URL); its task API lives under `/api/{user_id}/tasks`. */
  baseUrl: string;
  /** How long one call to the host app may take. */
  timeoutMs?: number;
  /** For a host that needs a custom agent or proxy; the global `fetch` by default. */
  fetch?: typeof fetch;
}

const unavailable = (message: string) => new ToolError(message, 'unavailable');

/**
 * The host app's own REST task API, called as the user with the user's own bearer token, so the
 * host's authorization decides what the assistant may touch. The shape is the common hackathon one:
 *
 *   GET/POST  {base}/api/{user_id}/tasks          list (a JSON array, or `{tasks: [...]}`) / create
 *   GET/PUT/DELETE {base}/api/{user_id}/tasks/{id} read / replace title+description / delete
 *   PATCH     {base}/api/{user_id}/tasks/{id}/complete   mark done (many hosts toggle, see `complete`)
 *
 * Ids are the host's (numbers are fine); 404 (and 400/422 for an id the host can't parse) means
 * "no such task for this user". Every other failure becomes a `ToolError` the model can relay.
 */
export function httpTasks(options: HttpTasksOptions): TaskBackend {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const fetchImpl = options.fetch ?? fetch;

  return ({ userId, token }): TaskService => {
    const collection = `${base}/api/${encodeURIComponent(userId)}/tasks`;
    const item = (id: string) => `${collection}/${encodeURIComponent(id)}`;

    async function call(method: string, url: string, body?: unknown): Promise<{ status: number; data: unknown }> {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (token) headers.Authorization = `Bearer ${token}`;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          // A redirect could carry the user's token somewhere else: treat it as a wrong answer.
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        if ((error as Error)?.name === 'TimeoutError') {
          throw unavailable('The task service took too long to answer. Please try again in a moment.');
        }
        throw unavailable("The task service can't be reached right now. Please try again in a moment.");
      }
      const text = await response.text().catch(() => '');
      let data: unknown;
      try {
        data = text ? JSON.parse(text) : undefined;
      } catch {
        data = undefined;
      }
      if (response.status === 401 || response.status === 403) {
        throw unavailable('The task service did not accept your sign-in. Please sign in again.');
      }
      if (response.status >= 500) {
        throw unavailable(`The task service is having trouble right now (HTTP ${response.status}). Please try again in a moment.`);
      }
      return { status: response.status, data };
    }

    /** 2xx → the task in the body; 404/400/422 → undefined; anything else is an unexpected answer. */
    async function one(method: string, url: string, body?: unknown): Promise<Task | undefined | null> {
      const { status, data } = await call(method, url, body);
      if (status === 404 || ((status === 400 || status === 422) && method === 'GET')) return undefined;
      if (status === 400 || status === 422) throw new ToolError(`The task service refused that change${reason(data)}`);
      if (status < 200 || status >= 300) throw unexpected(status);
      // Some hosts answer a change with 204 and no body: the caller then reads the task again.
      return data === undefined ? null : toTask(unwrap(data, 'task'));
    }

    const get = (id: string) => one('GET', item(id)).then((task) => task ?? undefined);
    const readBack = async (task: Task | undefined | null, id: string) => (task === null ? get(id) : task);

    return {
      async list({ status }) {
        const query = status === 'all' ? '' : `?status=${status}`;
        const { status: code, data } = await call('GET', collection + query);
        if (code < 200 || code >= 300) throw unexpected(code);
        const list = unwrap(data, 'tasks');
        if (!Array.isArray(list)) throw unreadable();
        // Not every host filters by ?status, so filter again here.
        return list
          .map(toTask)
          .filter((task) => status === 'all' || task.completed === (status === 'completed'));
      },
      get,
      async add(input) {
        const task = await one('POST', collection, { title: input.title, description: input.description ?? null });
        if (!task) throw unexpected(404);
        return task;
      },
      async update(id, changes) {
        const current = await get(id);
        if (!current) return undefined;
        // PUT replaces the task: send everything, changed or not.
        const next = {
          title: changes.title ?? current.title,
          description: changes.description !== undefined ? changes.description : current.description,
          completed: current.completed,
        };
        return readBack(await one('PUT', item(current.id), next), current.id);
      },
      async complete(id) {
        // Many hosts toggle on this call, so the tools only make it for a task that is not done yet;
        // the body is for hosts that set the value instead.
        return readBack(await one('PATCH', `${item(id)}/complete`, { completed: true }), id);
      },
      async remove(id) {
        const current = await get(id);
        if (!current) return undefined;
        const { status } = await call('DELETE', item(current.id));
        if (status === 404) return undefined;
        if (status < 200 || status >= 300) throw unexpected(status);
        return current;
      },
    };
  };
}

const unexpected = (status: number) =>
  unavailable(`The task service gave an answer we didn't expect (HTTP ${status}). Please try again later.`);
const unreadable = () => unavailable("The task service sent an answer we couldn't read. Please try again later.");

function reason(data: unknown): string {
  const detail = (data as { detail?: unknown; error?: unknown; message?: unknown } | undefined) ?? {};
  const text = [detail.detail, detail.message, detail.error].find((value) => typeof value === 'string') as string | undefined;
  return text && text.length <= 200 ? `: ${text}` : '.';
}

/** Accepts a bare value or one wrapped as `{tasks: …}`, `{task: …}` or `{data: …}`. */
function unwrap(data: unknown, key: string): unknown {
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const record = data as Record<string, unknown>;
    if (key in record) return record[key];
    if ('data' in record) return record.data;
  }
  return data;
}

/** The host's task in our shape; snake_case or camelCase timestamps, string or numeric ids. */
function toTask(raw: unknown): Task {
  const row = (raw ?? {}) as Record<string, unknown>;
  const id = row.id;
  if ((typeof id !== 'string' && typeof id !== 'number') || typeof row.title !== 'string') throw unreadable();
  const time = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined);
  const created = time(row.created_at ?? row.createdAt);
  const updated = time(row.updated_at ?? row.updatedAt) ?? created;
  const iso = (date: Date | undefined) => (date && !Number.isNaN(date.getTime()) ? date.toISOString() : new Date(0).toISOString());
  return {
    id: String(id),
    title: row.title,
    description: typeof row.description === 'string' ? row.description : null,
    completed: row.completed === true,
    created_at: iso(created),
    updated_at: iso(updated),
  };
}
