import { z } from 'zod';

/**
 * The five task tools as a model or an MCP client sees them: one description and one input schema,
 * shared by the OpenAI agent (JSON Schema) and the MCP server (zod). There is deliberately no
 * `user_id` parameter anywhere: the user comes from the verified token, never from the model.
 * Lengths are described rather than enforced here, so the tools answer with their own friendly
 * error instead of a schema validator's.
 */
const taskRef = z
  .string()
  .describe('The task to act on: its id as returned by list_tasks or add_task, or its exact title.');

export const TASK_TOOL_DEFINITIONS = {
  add_task: {
    description: 'Create a new task for the user.',
    input: {
      title: z.string().describe('What the task is, at most 200 characters, e.g. "Buy groceries".'),
      description: z.string().optional().describe('Optional details, at most 2000 characters.'),
    },
  },
  list_tasks: {
    description: "List the user's tasks, oldest first.",
    input: {
      status: z
        .enum(['all', 'pending', 'completed'])
        .optional()
        .describe('Which tasks to list: "pending" (not done yet), "completed", or "all" (the default).'),
    },
  },
  complete_task: {
    description: 'Mark one of the user\'s tasks as done.',
    input: { task_id: taskRef },
  },
  update_task: {
    description: "Change the title and/or the description of one of the user's tasks.",
    input: {
      task_id: taskRef,
      title: z.string().optional().describe('The new title, at most 200 characters.'),
      description: z.string().optional().describe('The new description, at most 2000 characters.'),
    },
  },
  delete_task: {
    description: "Delete one of the user's tasks for good.",
    input: { task_id: taskRef },
  },
} as const;

export type TaskToolName = keyof typeof TASK_TOOL_DEFINITIONS;
export const TASK_TOOL_NAMES = Object.keys(TASK_TOOL_DEFINITIONS) as TaskToolName[];

export const isTaskToolName = (name: string): name is TaskToolName => Object.hasOwn(TASK_TOOL_DEFINITIONS, name);

/** The tool's parameters as a JSON Schema object (for function calling). */
export function toolParameters(name: TaskToolName): Record<string, unknown> {
  const { $schema: _draft, ...schema } = z.toJSONSchema(z.object(TASK_TOOL_DEFINITIONS[name].input));
  return schema;
}
