// Builds the three things the package ships:
//   dist/widget/   the element as ESM for npm (lit and the virtualizer stay dependencies),
//   dist/todo-chat.js  one self-contained, minified script-tag file that registers <todo-chat>,
//   dist/server/   the Express server and its CLI (dependencies stay in node_modules).
// Types come from `tsc --emitDeclarationOnly` (see the build script in package.json).
import { builtinModules } from 'node:module';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const ts = () =>
  typescript({
    tsconfig: './tsconfig.json',
    include: ['widget/src/**/*.ts', 'server/src/**/*.ts', 'migrations/**/*.ts'],
    declaration: false,
    sourceMap: true,
    outDir: undefined,
    rootDir: undefined,
    noEmitOnError: true,
  });

const isBare = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0');
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

export default [
  {
    input: { index: 'widget/src/index.ts', define: 'widget/src/define.ts' },
    external: (id) => /^(lit|@lit\/|@lit-labs\/)/.test(id),
    plugins: [ts()],
    output: { dir: 'dist/widget', format: 'esm', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
  },
  {
    input: 'widget/src/define.ts',
    plugins: [nodeResolve({ browser: true }), ts()],
    output: {
      file: 'dist/todo-chat.js',
      format: 'iife',
      sourcemap: true,
      inlineDynamicImports: true,
      plugins: [terser({ format: { comments: false }, compress: { passes: 2 } })],
    },
  },
  {
    input: { index: 'server/src/index.ts', main: 'server/src/main.ts', migrate: 'server/src/migrate.ts' },
    external: (id) => nodeBuiltins.has(id) || isBare(id),
    plugins: [ts()],
    output: { dir: 'dist/server', format: 'esm', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
  },
];
