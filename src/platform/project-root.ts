import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The installed project's folder (where package.json, config/ and src/ui/web/ are), found from this
 * module's own location, so files beside the code resolve the same whether the sources run directly
 * or compiled into dist/.
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'config', 'default.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`project folder not found above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(import.meta.dirname);

/** A path inside the project folder. */
export const projectPath = (...parts: string[]): string => join(PROJECT_ROOT, ...parts);
