import type { Knex } from 'knex';

/** Conversations and their messages (the seed's data-model.md), plus what idempotent turns need. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('conversation', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('user_id').notNullable();
    t.text('title');
    t.text('last_message_preview');
    t.integer('message_count').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id', 'updated_at'], 'conversation_user_updated_idx');
  });

  await knex.schema.createTable('message', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    // Monotonic insertion order: messages never reorder when created_at ties.
    t.specificType('seq', 'bigint generated always as identity').notNullable().unique();
    t.text('user_id').notNullable();
    t.uuid('conversation_id').notNullable().references('id').inTable('conversation').onDelete('CASCADE');
    t.text('role').notNullable();
    t.text('content').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // User messages: the client's idempotency key and the state of the turn they started.
    t.uuid('client_message_id');
    t.text('turn_state');
    t.timestamp('turn_lease_until', { useTz: true });
    // Assistant messages: the user message they answer, and what they did to tasks.
    t.uuid('reply_to').references('id').inTable('message').onDelete('CASCADE');
    t.jsonb('tool_calls');
    t.index(['user_id'], 'message_user_idx');
    t.index(['conversation_id', 'seq'], 'message_conversation_seq_idx');
    t.index(['created_at'], 'message_created_at_idx');
  });
  await knex.raw(`ALTER TABLE message ADD CONSTRAINT message_role_check CHECK (role IN ('user', 'assistant'))`);
  await knex.raw(`ALTER TABLE message ADD CONSTRAINT message_content_check CHECK (length(content) > 0)`);
  await knex.raw(
    `ALTER TABLE message ADD CONSTRAINT message_turn_state_check CHECK (turn_state IN ('running', 'done', 'failed'))`,
  );
  await knex.raw(
    `CREATE UNIQUE INDEX message_client_id_uq ON message (user_id, client_message_id) WHERE client_message_id IS NOT NULL`,
  );
  await knex.raw(`CREATE UNIQUE INDEX message_reply_to_uq ON message (reply_to) WHERE reply_to IS NOT NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('message');
  await knex.schema.dropTable('conversation');
}
