/** The contract as an OpenAPI 3.1 document, served at `GET /api/openapi.json`. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'todo-chat', version: '0.1.0' },
    paths: {},
  };
}
