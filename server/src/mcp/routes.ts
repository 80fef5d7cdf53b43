import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { IncomingMessage } from 'node:http';
import { Router, type RequestHandler } from 'express';
import type { AuthConfig } from '../config.js';
import { authenticate } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { userOf } from '../http/routes/user.js';
import type { TaskBackend } from '../tasks/service.js';
import { createTaskTools } from '../tasks/tools.js';
import { createTaskMcpServer } from './tools.js';

export interface McpRouteOptions {
  auth: AuthConfig;
  tasks: TaskBackend;
  /** The app's JSON body parser (same limits and errors as the chat API). */
  json: RequestHandler;
}

const methodNotAllowed = () =>
  new HttpError(
    405,
    'Method Not Allowed',
    'This MCP endpoint is stateless: send JSON-RPC requests with POST.',
    'method_not_allowed',
    { Allow: 'POST' },
  );

/**
 * `POST /mcp`: the task tools over MCP Streamable HTTP, for MCP clients (Claude Desktop, IDEs, agent
 * frameworks) acting for a signed-in user. Same bearer tokens as the chat API; the user comes from
 * the token only. Stateless: a new server and transport per request, as the SDK's stateless pattern
 * does, so any instance can answer any request and no session outlives it.
 */
export function mcpRoutes(options: McpRouteOptions): Router {
  const router = Router();
  const handle: RequestHandler = async (req, res) => {
    const user = userOf(req);
    const server = createTaskMcpServer(createTaskTools(options.tasks(user), user.userId));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    // `req.auth` is ours (the verified user), not the SDK's OAuth AuthInfo; the tools are already bound to it.
    await transport.handleRequest(req as IncomingMessage, res, req.body);
  };
  router.post('/mcp', authenticate(options.auth), options.json, handle);
  // No server-initiated streams or sessions to resume or end in stateless mode.
  router.all('/mcp', () => {
    throw methodNotAllowed();
  });
  return router;
}
