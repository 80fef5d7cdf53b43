import { HttpError } from '../http/errors.js';

/**
 * A task tool that could not do what it was asked, said so the model (and the person reading
 * `tool_calls`) can act on it. Agents that dispatch by name get it back as a `{ error }` result from
 * `TaskTools.invoke`; the typed methods throw it. It is an `HttpError` so that an agent that lets it
 * escape still fails the turn with a sentence rather than a bare 500.
 */
export class ToolError extends HttpError {
  constructor(message: string, kind: 'invalid' | 'unavailable' = 'invalid') {
    super(
      kind === 'invalid' ? 422 : 502,
      kind === 'invalid' ? 'Unprocessable Entity' : 'Bad Gateway',
      message,
      kind === 'invalid' ? 'invalid_tool_arguments' : 'task_service_unavailable',
    );
    this.name = 'ToolError';
  }

  /** The tool result a model sees. */
  get result(): { error: string } {
    return { error: this.detail };
  }
}
