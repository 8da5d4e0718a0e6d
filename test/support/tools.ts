// System tools the integration tests drive (dig, knotd, inspircd, mariadbd, chromium, …).
// A missing tool skips its tests with the reason printed; with BESTIARY_REQUIRE_ALL=1 (CI)
// a missing tool is a failure instead.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const searchPath = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Absolute path of a tool, or null when it is not installed. */
export function findTool(name: string): string | null {
  if (name.includes('/')) return existsSync(name) ? name : null;
  for (const dir of searchPath) {
    const candidate = `${dir}/${name}`;
    if (existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export const requireAll = process.env.BESTIARY_REQUIRE_ALL === '1';

/**
 * Which of `names` are missing. Use with describe.skipIf:
 *   const missing = missingTools('knotd', 'kdig');
 *   describe.skipIf(missing.length > 0)('…', …)
 * Prints the reason once; throws under BESTIARY_REQUIRE_ALL=1 so CI never skips silently.
 */
export function missingTools(...names: string[]): string[] {
  const missing = names.filter((n) => findTool(n) === null);
  if (missing.length > 0) {
    const reason = `missing system tools: ${missing.join(', ')} (see .ci/run for the Debian packages)`;
    if (requireAll) throw new Error(`BESTIARY_REQUIRE_ALL=1 and ${reason}`);
    console.warn(`skipping: ${reason}`);
  }
  return missing;
}
