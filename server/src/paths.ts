import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package's root folder, found from this file whether it runs from sources or from `dist/`. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'todo-chat') return (root = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('todo-chat: cannot find the package root.');
    dir = parent;
  }
}

export const packagePath = (...parts: string[]) => join(packageRoot(), ...parts);
