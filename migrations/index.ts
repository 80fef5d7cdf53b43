import type { Knex } from 'knex';
import * as conversationsMessages from './0001_conversations_messages.js';
import * as tasks from './0002_tasks.js';

/**
 * The migrations, in order. Listed statically (not read from disk) so they work the same from
 * TypeScript sources, the bundled server and an npm install.
 */
const migrations: Record<string, Knex.Migration> = {
  '0001_conversations_messages': conversationsMessages,
  '0002_tasks': tasks,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
