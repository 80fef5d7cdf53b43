/** The server's programmatic API: `import { createApp, startServer, loadConfig } from 'todo-chat/server'`. */
export { createApp, toHttpError, type AppDeps } from './app.js';
export { startServer, type RunningServer, type StartOptions } from './server.js';
export { loadConfig, ConfigError, type Config, type AuthConfig } from './config.js';
export { Store, type TurnRecord, type MessagePage, type TaskFilter } from './store/store.js';
export type { DatabaseOptions } from './store/database.js';
export { ChatService, type UserContext, type TurnInput, type TurnListener } from './chat/service.js';
export type { Agent, AgentEvent, AgentTurn } from './agent/agent.js';
export { BuiltinAgent } from './agent/builtin.js';
export { createTaskTools, type TaskTools } from './tasks/tools.js';
export { HttpError } from './http/errors.js';
export { signDemoToken, type AuthInfo } from './http/auth.js';
export { createLogger, type Logger } from './http/logging.js';
export type * from './contract.js';
