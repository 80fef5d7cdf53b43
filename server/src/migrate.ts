#!/usr/bin/env node
import { loadConfig } from './config.js';
import { Store } from './store/store.js';

/** `npm run migrate` (up to latest) and `npm run migrate -- down` (undo all). */
const direction = process.argv[2] ?? 'up';
if (direction !== 'up' && direction !== 'down') {
  console.error('usage: todo-chat-migrate [up|down]');
  process.exit(2);
}
const config = loadConfig();
const store = await Store.open({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  const names = direction === 'up' ? await store.migrate() : await store.rollbackAll();
  console.log(names.length ? `${direction === 'up' ? 'applied' : 'undone'}: ${names.join(', ')}` : 'nothing to do');
} finally {
  await store.close();
}
