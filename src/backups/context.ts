// Per-run scratch space for client credential files, removed when the run ends.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultTools, type TargetContext, type ToolPaths } from './targets/types.js';

export interface RunContext extends TargetContext {
  dispose(): Promise<void>;
}

/** A context whose secret files live in a fresh 0700 directory under `base`. */
export async function createRunContext(
  tools: Partial<ToolPaths> = {},
  base = tmpdir(),
): Promise<RunContext> {
  const dir = await mkdtemp(join(base, 'bestiary-backup-'));
  const files = new Map<string, string>();
  return {
    tools: { ...defaultTools, ...tools },
    async secretFile(name, content) {
      const known = files.get(name + '\0' + content);
      if (known) return known;
      const path = join(dir, `${files.size}-${name}`);
      await writeFile(path, content, { mode: 0o600 });
      files.set(name + '\0' + content, path);
      return path;
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
