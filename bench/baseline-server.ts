// The baseline for the chat-turn benchmark: a bare Express 5 route doing one INSERT through the same
// kind of knex pg pool the server uses. What todo-chat adds on top (auth, validation, a turn's
// statements, the agent, JSON) is the ratio between the two.
import express from 'express';
import knex from 'knex';

const db = knex({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 10 } });
await db.raw(`create table if not exists bench_baseline (id bigint generated always as identity primary key, body text not null, created_at timestamptz not null default now())`);
const app = express();
app.use(express.json());
app.get('/readyz', (_req, res) => void res.json({ ok: true }));
app.post('/insert', async (req, res) => {
  const [row] = await db('bench_baseline').insert({ body: String(req.body.message) }).returning(['id', 'created_at']);
  res.json(row);
});
app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => void db.destroy().then(() => process.exit(0)));
