import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { Agent } from './agent/agent.js';
import { BuiltinAgent } from './agent/builtin.js';
import { createApp } from './app.js';
import { ChatService } from './chat/service.js';
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
    (await Store.open({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: config.databasePoolMax }));
  const applied = await store.migrate();
  if (applied.length) logger.info({ migrations: applied }, 'database migrated');

  const chat = new ChatService(store, options.agent ?? new BuiltinAgent(), { agentTimeoutMs: config.agentTimeoutMs });
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
  const close = () =>
    (closing ??= (async () => {
      logger.info('shutting down: finishing in-flight turns');
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await chat.drain(config.shutdownTimeoutMs);
      server.closeAllConnections();
      await stopped;
      if (!options.store) await store.close();
      logger.info('shut down');
    })());

  return { server, store, url, close };
}
