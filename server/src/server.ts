import type { AddressInfo } from 'node:net';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Agent } from './agent/agent.js';
import { createApp, createChatService } from './app.js';
import type { Config } from './config.js';
import { createLogger, type Logger } from './http/logging.js';
import { Store } from './store/store.js';

export interface RunningServer {
  server: Server;
  store: Store;
  url: string;
  /** Stops taking requests, lets in-flight turns finish (up to `shutdownTimeoutMs`), then closes. */
  close(): Promise<void>;
}

export interface StartOptions {
  agent?: Agent;
  logger?: Logger;
  /** An already open store (tests); otherwise one is opened from the config. */
  store?: Store;
}

/** Opens the database, migrates it, and listens: everything `npm start` does after reading config. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const store =
    options.store ??
    (await Store.open({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolMax: config.databasePoolMax,
      log: (level, message) => logger[level]({ source: 'knex' }, message),
    }));
  const applied = await store.migrate();
  if (applied.length) logger.info({ migrations: applied }, 'database migrated');

  const chat = createChatService(config, store, options.agent);
  const app = createApp({ config, store, chat, logger });
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${port}`;

  let closing: Promise<void> | undefined;
  // Responses written while shutting down tell keep-alive clients not to reuse the connection.
  server.on('request', (_req, res: ServerResponse) => {
    if (closing && !res.headersSent) res.setHeader('Connection', 'close');
  });
  const close = () =>
    (closing ??= (async () => {
      logger.info('shutting down: finishing in-flight turns');
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // drain() aborts what is still running after the timeout; an agent that ignores its abort signal
      // must not keep the process alive past the orchestrator's grace period either.
      await Promise.race([chat.drain(config.shutdownTimeoutMs), delay(config.shutdownTimeoutMs + FLUSH_GRACE_MS)]);
      await finishResponses(server, stopped, FLUSH_GRACE_MS);
      await stopped;
      if (!options.store) await store.close();
      logger.info('shut down');
    })());

  return { server, store, url, close };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** How long finished turns get to write their last bytes before remaining connections are cut. */
const FLUSH_GRACE_MS = 5_000;

/**
 * Lets the responses of drained turns reach their clients: a keep-alive connection becomes idle only
 * once its response is written, so idle connections are closed as they appear, and whatever is still
 * open after `graceMs` (a client that stopped reading) is cut.
 */
async function finishResponses(server: Server, stopped: Promise<void>, graceMs: number): Promise<void> {
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  try {
    await Promise.race([stopped, delay(graceMs)]);
  } finally {
    clearInterval(sweep);
    server.closeAllConnections();
  }
}
