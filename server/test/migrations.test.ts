import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Knex } from 'knex';
import { packagePath } from '../src/paths.js';
import { migrateDown, migrateLatest, openDatabase } from '../src/store/database.js';
import { Store } from '../src/store/store.js';
import { databaseUrl, onPostgres } from './helpers.js';

/**
 * Migrations change the schema, so each test gets its own: a private PostgreSQL schema (dropped
 * afterwards) or a fresh in-memory PGlite. The shared test tables are never touched.
 */
const privateSchemas: string[] = [];
after(async () => {
  if (!onPostgres || !privateSchemas.length) return;
  const db = await openDatabase({ databaseUrl });
  for (const schema of privateSchemas) await db.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [schema]);
  await db.destroy();
});

function privateSchema(): string {
  const schema = `todo_chat_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  privateSchemas.push(schema);
  return schema;
}

async function freshDatabase(): Promise<{ db: Knex; schema: string }> {
  const schema = onPostgres ? privateSchema() : 'public';
  const db = await openDatabase(onPostgres ? { databaseUrl, schema, poolMax: 2 } : { dataDir: ':memory:' });
  return { db, schema };
}

const rows = async <T>(db: Knex, sql: string, bindings: readonly Knex.RawBinding[]): Promise<T[]> =>
  (await db.raw(sql, bindings)).rows as T[];

const tables = (db: Knex, schema: string) =>
  rows<{ table_name: string }>(
    db,
    `select table_name from information_schema.tables where table_schema = ? and table_name in ('conversation', 'message', 'task') order by 1`,
    [schema],
  ).then((r) => r.map((t) => t.table_name));

describe('migrations', () => {
  it(`create the tables, indexes and constraints, roll back completely, and apply again (${onPostgres ? 'PostgreSQL schema' : 'PGlite'})`, async () => {
    const { db, schema } = await freshDatabase();
    try {
      assert.deepEqual(await migrateLatest(db, schema), ['0001_conversations_messages', '0002_tasks']);
      assert.deepEqual(await tables(db, schema), ['conversation', 'message', 'task']);
      assert.deepEqual(await migrateLatest(db, schema), [], 'a second run has nothing to do');

      const indexes = (
        await rows<{ indexname: string }>(db, 'select indexname from pg_indexes where schemaname = ?', [schema])
      ).map((r) => r.indexname);
      for (const index of [
        'conversation_user_updated_idx',
        'message_user_idx',
        'message_conversation_seq_idx',
        'message_created_at_idx',
        'message_client_id_uq',
        'message_reply_to_uq',
        'task_user_seq_idx',
      ]) {
        assert.ok(indexes.includes(index), `index ${index} exists`);
      }

      const constraints = await rows<{ conname: string; contype: string; confdeltype: string; relname: string }>(
        db,
        `select c.conname, c.contype, c.confdeltype, t.relname from pg_constraint c
           join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
          where n.nspname = ?`,
        [schema],
      );
      const named = (name: string) => constraints.find((c) => c.conname === name);
      for (const check of ['message_role_check', 'message_content_check', 'message_turn_state_check', 'task_title_check']) {
        assert.equal(named(check)?.contype, 'c', `check constraint ${check} exists`);
      }
      const conversationFk = constraints.find((c) => c.relname === 'message' && c.contype === 'f' && /conversation_id/.test(c.conname));
      assert.equal(conversationFk?.confdeltype, 'c', 'message.conversation_id cascades on delete');

      // The constraints do what they say: a bad role is refused, deleting a conversation deletes its messages.
      const [conversation] = await db('conversation').insert({ user_id: 'u1' }).returning('id');
      await assert.rejects(
        db('message').insert({ user_id: 'u1', conversation_id: conversation.id, role: 'system', content: 'x' }),
        /message_role_check/,
      );
      await assert.rejects(
        db('message').insert({ user_id: 'u1', conversation_id: conversation.id, role: 'user', content: '' }),
        /message_content_check/,
      );
      await db('message').insert({ user_id: 'u1', conversation_id: conversation.id, role: 'user', content: 'hi' });
      await db('conversation').where({ id: conversation.id }).delete();
      assert.equal((await db('message').where({ conversation_id: conversation.id })).length, 0);

      assert.deepEqual((await migrateDown(db, schema)).sort(), ['0001_conversations_messages', '0002_tasks']);
      assert.deepEqual(await tables(db, schema), []);
      assert.deepEqual(await migrateLatest(db, schema), ['0001_conversations_messages', '0002_tasks']);
      assert.deepEqual(await tables(db, schema), ['conversation', 'message', 'task']);
    } finally {
      await db.destroy();
    }
  });

  it(
    onPostgres
      ? 'let two instances migrate the same fresh schema at once'
      : 'SKIPPED on embedded PGlite: one process owns the database, so concurrent migration needs PostgreSQL',
    { skip: !onPostgres },
    async () => {
      const schema = privateSchema();
      const [a, b] = await Promise.all([
        Store.open({ databaseUrl, schema, poolMax: 2 }),
        Store.open({ databaseUrl, schema, poolMax: 2 }),
      ]);
      try {
        const [appliedA, appliedB] = await Promise.all([a.migrate(), b.migrate()]);
        assert.deepEqual([...appliedA, ...appliedB].sort(), ['0001_conversations_messages', '0002_tasks']);
        // Both work on the migrated schema.
        await a.addTask('u1', { title: 'from a' });
        assert.deepEqual((await b.listTasks('u1')).map((t) => t.title), ['from a']);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    },
  );

  it('npm run migrate brings a fresh database up to date', async () => {
    let env: Record<string, string>;
    let dataDir: string | undefined;
    if (onPostgres) {
      const schema = privateSchema();
      const setup = await openDatabase({ databaseUrl, schema });
      await setup.destroy();
      // A fresh schema via the connection's search_path, the way an operator would point at one.
      const url = new URL(databaseUrl!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      env = { DATABASE_URL: url.toString() };
    } else {
      dataDir = await mkdtemp(join(tmpdir(), 'todo-chat-migrate-'));
      env = { DATA_DIR: dataDir };
    }
    try {
      const first = await npmMigrate(env);
      assert.equal(first.code, 0, first.output);
      assert.match(first.output, /applied: 0001_conversations_messages, 0002_tasks/);
      const second = await npmMigrate(env);
      assert.equal(second.code, 0, second.output);
      assert.match(second.output, /nothing to do/);
    } finally {
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }
  });
});

function npmMigrate(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', 'migrate', '--silent'], {
      cwd: packagePath(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });
}
