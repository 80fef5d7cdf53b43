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

// lit's css`` templates keep their source whitespace and comments; squeezing them (after TypeScript) in the widget's
// *.styles.ts files saves about a kilobyte of the script-tag budget. Only whitespace next to `{};,` and after
// `:` in declarations goes, so selectors like `.a :hover` and calc() operators keep their meaning.
const minifyLitCss = () => ({
  name: 'minify-lit-css',
  transform(code, id) {
    if (!id.endsWith('.styles.ts')) return null;
    const squeezed = code.replace(/\bcss\s*`([^`]*)`/g, (_, body) =>
      'css`' +
      body
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\s+/g, ' ')
        .replace(/\s*([{};,])\s*/g, '$1')
        .replace(/([\w-]):\s+/g, '$1:')
        .trim() +
      '`',
    );
    return { code: squeezed, map: null };
  },
});

const isBare = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0');
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

export default [
  {
    input: { index: 'widget/src/index.ts', define: 'widget/src/define.ts' },
    external: (id) => /^(lit|@lit\/|@lit-labs\/)/.test(id),
    plugins: [ts(), minifyLitCss()],
    output: { dir: 'dist/widget', format: 'esm', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
  },
  {
    input: 'widget/src/define.ts',
    plugins: [nodeResolve({ browser: true }), ts(), minifyLitCss()],
    output: {
      file: 'dist/todo-chat.js',
      format: 'iife',
      sourcemap: true,
      inlineDynamicImports: true,
      plugins: [
        terser({
          ecma: 2020,
          format: { comments: false },
          compress: { passes: 3, pure_getters: true, unsafe_arrows: true },
          // The virtualizer ships unminified `this._private` names; this file bundles every user of them, so
          // they can be shortened consistently. Lit's cross-copy `_$…` names are left alone.
          mangle: { properties: { regex: /^_(?!\$)/ } },
        }),
      ],
    },
  },
  {
    input: { index: 'server/src/index.ts', main: 'server/src/main.ts', migrate: 'server/src/migrate.ts' },
    external: (id) => nodeBuiltins.has(id) || isBare(id),
    plugins: [ts()],
    output: { dir: 'dist/server', format: 'esm', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
  },
];
