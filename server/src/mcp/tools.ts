import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { TASK_TOOL_DEFINITIONS, TASK_TOOL_NAMES, type TaskToolName } from '../tasks/definitions.js';
import type { TaskTools } from '../tasks/tools.js';

const ANNOTATIONS: Record<TaskToolName, { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean }> = {
  add_task: { readOnlyHint: false, destructiveHint: false },
  list_tasks: { readOnlyHint: true },
  complete_task: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  update_task: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  delete_task: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
};

/**
 * An MCP server exposing the five task tools, already bound to one verified user: the tools take no
 * user id, so an MCP client can only reach the tasks of the token it presented. Made per request
 * (stateless Streamable HTTP), so it holds nothing once the request ends.
 */
export function createTaskMcpServer(tools: TaskTools): McpServer {
  const server = new McpServer({ name: 'todo-chat-tasks', version: '1.0.0' });
  for (const name of TASK_TOOL_NAMES) {
    const { description, input } = TASK_TOOL_DEFINITIONS[name];
    server.registerTool(name, { description, inputSchema: input, annotations: ANNOTATIONS[name] }, async (args: unknown) =>
      toResult(await tools.invoke(name, args)),
    );
  }
  return server;
}

/** Results travel as JSON text; a `{ error }` result is a tool error the calling model can read. */
function toResult(result: unknown): CallToolResult {
  const isError = typeof result === 'object' && result !== null && 'error' in result;
  return { content: [{ type: 'text', text: JSON.stringify(result) }], isError };
}
