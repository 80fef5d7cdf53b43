// @web/dev-server for the npm-import example: it resolves bare imports (`todo-chat/define`, `lit`) to files
// in node_modules (`nodeResolve`) and strips TypeScript types with esbuild, so no bundler is needed.
//   npx wds --config examples/npm-import/web-dev-server.config.mjs
import { esbuildPlugin } from '@web/dev-server-esbuild';

export default {
  // The project root, so node_modules (and, inside this repo, the package itself) are reachable.
  rootDir: new URL('../..', import.meta.url).pathname,
  open: '/examples/npm-import/',
  port: 8080,
  nodeResolve: { exportConditions: ['browser', 'production'] },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' })],
};
