import type { Config } from '../config.js';
import type { Store } from '../store/store.js';
import { httpTasks } from '../tasks/http.js';
import { storeTasks, type TaskBackend } from '../tasks/service.js';
import type { Agent } from './agent.js';
import { BuiltinAgent } from './builtin.js';
import { OpenAIAgent } from './openai.js';

/** The agent the configuration asks for: a model when OPENAI_API_KEY is set, else the offline built-in one. */
export function selectAgent(config: Config): Agent {
  if (!config.openai) return new BuiltinAgent();
  return new OpenAIAgent({ ...config.openai, timeoutMs: config.agentTimeoutMs });
}

/** Where the task tools work: the host app's API when TASKS_API_URL is set, else the `task` table. */
export function selectTasks(config: Config, store: Store): TaskBackend {
  return config.tasksApiUrl ? httpTasks({ baseUrl: config.tasksApiUrl }) : storeTasks(store);
}
