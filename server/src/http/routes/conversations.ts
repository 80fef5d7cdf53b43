import { Router } from 'express';
import type { ConversationDetail, ConversationList, ConversationSummary } from '../../contract.js';
import type { Store } from '../../store/store.js';
import { badRequest, conversationNotFound } from '../errors.js';
import { parseTitle, pathUuid, queryInt, queryUuid } from '../validation.js';
import { userOf } from './user.js';

/** Conversation history: list, open (whole or page by page), rename, delete. */
export function conversationRoutes(store: Store): Router {
  const router = Router({ mergeParams: true });

  router.get('/conversations', async (req, res) => {
    const { userId } = userOf(req);
    const limit = queryInt(req, 'limit', 1, 100) ?? 20;
    const offset = queryInt(req, 'offset', 0, 1_000_000_000) ?? 0;
    const { conversations, total } = await store.listConversations(userId, { limit, offset });
    res.json({ conversations, total, limit, offset } satisfies ConversationList);
  });

  router.get('/conversations/:conversation_id', async (req, res) => {
    const { userId } = userOf(req);
    const id = pathUuid(req, 'conversation_id');
    const before = queryUuid(req, 'before');
    let limit = queryInt(req, 'limit', 1, 500);
    if (before && limit === undefined) limit = 50;
    const conversation = await store.getConversation(userId, id);
    if (!conversation) throw conversationNotFound();
    const page = await store.listMessages(userId, id, { limit, before });
    if (page === 'unknown_cursor') {
      throw badRequest('before must be the id of a message in this conversation.', 'invalid_cursor');
    }
    res.json({
      id: conversation.id,
      title: conversation.title,
      created_at: conversation.created_at,
      updated_at: conversation.updated_at,
      messages: page.messages,
      has_more: page.has_more,
    } satisfies ConversationDetail);
  });

  router.patch('/conversations/:conversation_id', async (req, res) => {
    const { userId } = userOf(req);
    const id = pathUuid(req, 'conversation_id');
    const title = parseTitle(req);
    const conversation = await store.renameConversation(userId, id, title);
    if (!conversation) throw conversationNotFound();
    res.json(conversation satisfies ConversationSummary);
  });

  router.delete('/conversations/:conversation_id', async (req, res) => {
    const { userId } = userOf(req);
    const id = pathUuid(req, 'conversation_id');
    if (!(await store.deleteConversation(userId, id))) throw conversationNotFound();
    res.status(204).end();
  });

  return router;
}
