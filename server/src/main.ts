#!/usr/bin/env node
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './http/logging.js';
import { startServer } from './server.js';
import { isDatabaseUnavailable } from './store/database.js';

/** `npm start` / `todo-chat-server`: config from the environment, migrations, listen, graceful shutdown. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`todo-chat: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const running = await startServer(config, { logger });
  const database = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
  logger.info({ url: running.url, database }, 'todo-chat server listening');
  if (config.auth.demo) {
    logger.warn(
      `DEMO MODE: no BETTER_AUTH_SECRET or AUTH_JWKS_URL is set, so a throwaway secret was generated and ` +
        `${running.url}/demo/token signs a token for anyone. Open ${running.url}/ to try the chat. ` +
        `Never expose demo mode to the internet; set NODE_ENV=production to forbid it.`,
    );
  }

  // One signal drains; a second one (`once` removed the handler) kills the process at once.
  const stop = (signal: string) => {
    logger.info({ signal }, 'received signal');
    running.close().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  console.error(`todo-chat: could not start: ${startupFailure(error)}`);
  process.exit(1);
});

/** Says what went wrong at start-up in words an operator can act on. */
function startupFailure(error: unknown): string {
  if (isDatabaseUnavailable(error)) {
    const url = process.env.DATABASE_URL;
    const where = url ? `PostgreSQL at ${safeHost(url)} (DATABASE_URL)` : 'the embedded database';
    return `cannot reach ${where}. Check that it is running and the address is right, then start again.`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** host:port/database of a connection string, without the password. */
function safeHost(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return 'the configured address';
  }
}
