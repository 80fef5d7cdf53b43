import type { Knex } from 'knex';

/** The user's tasks, which the assistant's tools manage (the common todo-app shape). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('task', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.specificType('seq', 'bigint generated always as identity').notNullable().unique();
    t.text('user_id').notNullable();
    t.text('title').notNullable();
    t.text('description');
    t.boolean('completed').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id', 'seq'], 'task_user_seq_idx');
  });
  await knex.raw(`ALTER TABLE task ADD CONSTRAINT task_title_check CHECK (length(btrim(title)) > 0)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('task');
}
