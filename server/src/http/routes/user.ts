import type { Request } from 'express';
import type { UserContext } from '../../chat/service.js';
import { unauthorized } from '../errors.js';

/** The caller's context, built from the verified token only. */
export function userOf(req: Request): UserContext {
  if (!req.auth) throw unauthorized();
  return { userId: req.auth.userId, token: req.auth.token };
}
