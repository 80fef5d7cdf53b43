import { Router } from 'express';
import type { TaskList } from '../../contract.js';
import type { Store } from '../../store/store.js';
import { queryEnum } from '../validation.js';
import { userOf } from './user.js';

/** `GET /api/{user_id}/tasks`: what the assistant's tools changed, for the host page and the widget. */
export function taskRoutes(store: Store): Router {
  const router = Router({ mergeParams: true });
  router.get('/tasks', async (req, res) => {
    const { userId } = userOf(req);
    const status = queryEnum(req, 'status', ['all', 'pending', 'completed'] as const) ?? 'all';
    res.json({ tasks: await store.listTasks(userId, { status }) } satisfies TaskList);
  });
  return router;
}
