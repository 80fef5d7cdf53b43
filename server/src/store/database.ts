import { mkdir } from 'node:fs/promises';
import knexFactory, { type Knex } from 'knex';
import ClientPGLite from 'knex-pglite';
import { migrationSource } from '../../../migrations/index.js';

export interface DatabaseOptions {
  /** PostgreSQL connection string; unset opens the embedded PGlite database. */
  databaseUrl?: string;
  /** PGlite data directory; `:memory:` keeps it in memory (tests). */
  dataDir?: string;
  poolMax?: number;
  /** A PostgreSQL schema to keep every table in (created if missing). Default: the connection's own. */
  schema?: string;
  /** Where knex's own warnings go (the server passes its pino logger); the console by default. */
  log?: (level: 'warn' | 'error', message: string) => void;
}

function knexLog(log: DatabaseOptions['log']): Knex.Config['log'] {
  if (!log) return undefined;
  const say = (level: 'warn' | 'error') => (message: unknown) => log(level, String(message));
  return { warn: say('warn'), error: say('error'), deprecate: say('warn'), debug: () => {} };
}

/** Opens knex on PostgreSQL (pg pool) or on embedded PGlite, with the same dialect either way. */
export async function openDatabase(options: DatabaseOptions): Promise<Knex> {
  const searchPath = options.schema ? [options.schema, 'public'] : undefined;
  if (options.databaseUrl) {
    const db = knexFactory({
      client: 'pg',
      connection: {
        connectionString: options.databaseUrl,
        // Notice a silently dropped connection instead of waiting for the OS, and never let one
        // query hang a request: both surface as 503 through isDatabaseUnavailable.
        keepAlive: true,
        query_timeout: 30_000,
      },
      searchPath,
      log: knexLog(options.log),
      // Fail fast when the database is down, so callers answer 503 instead of hanging.
      acquireConnectionTimeout: 5_000,
      pool: { min: 0, max: options.poolMax ?? 10, idleTimeoutMillis: 30_000 },
    });
    if (options.schema) await createSchema(db, options.schema);
    return db;
  }
  const dataDir = options.dataDir ?? '.todo-chat';
  if (dataDir !== ':memory:') await mkdir(dataDir, { recursive: true });
  const db = knexFactory({
    client: ClientPGLite,
    dialect: 'postgres',
    connection: dataDir === ':memory:' ? {} : { filename: dataDir },
    searchPath,
    log: knexLog(options.log),
    acquireConnectionTimeout: 30_000,
  });
  if (options.schema) await createSchema(db, options.schema);
  return db;
}

const migrationConfig = (schema?: string): Knex.MigratorConfig => ({
  migrationSource,
  tableName: 'todo_chat_migrations',
  schemaName: schema,
});

/**
 * Brings the schema up to date. Several instances may start at once on one database: the one that
 * loses knex's migration lock waits for the winner instead of failing.
 */
export async function migrateLatest(db: Knex, schema?: string, waitMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const [, applied] = await db.migrate.latest(migrationConfig(schema));
      return applied as string[];
    } catch (error) {
      const lostRace = error instanceof Error && (error.name === 'MigrationLocked' || isConcurrentDdl(error));
      if (!lostRace || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Undoes every migration (used by `npm run migrate -- down` and the migration tests). */
export async function migrateDown(db: Knex, schema?: string): Promise<string[]> {
  const [, undone] = await db.migrate.rollback(migrationConfig(schema), true);
  return undone as string[];
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300',
]);

/** True when an error means "the database cannot be reached right now" rather than a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  if (error.name === 'KnexTimeoutError') return true;
  return /Connection terminated|connection ended|Query read timeout|Client has encountered a connection error|terminating connection/i.test(
    error.message,
  );
}

/**
 * True when a concurrent `CREATE ... IF NOT EXISTS` lost a race in PostgreSQL's catalog (two
 * instances creating the migrations table or schema at once); trying again then finds it made.
 */
function isConcurrentDdl(error: unknown): boolean {
  const e = error as { code?: unknown; schema?: unknown };
  return (e?.code === '23505' && e.schema === 'pg_catalog') || e?.code === '42P07' || e?.code === '42P06';
}

/** Creates the schema; concurrent instances may race here too, and the loser finds it created. */
async function createSchema(db: Knex, schema: string): Promise<void> {
  try {
    await db.raw('CREATE SCHEMA IF NOT EXISTS ??', [schema]);
  } catch (error) {
    if (!isConcurrentDdl(error)) throw error;
  }
}

/** True for a unique-constraint violation, which concurrent duplicate requests produce. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e?.code !== '23505') return false;
  return !constraint || e.constraint === constraint || String(e.message).includes(constraint);
}
