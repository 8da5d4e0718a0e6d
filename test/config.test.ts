// Configuration: every option is documented in the README, bad values are refused by name, and
// environment variables are read as documented.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema, ConfigError, envVars, loadConfig, parseConfig } from '../src/config.js';

/** Dotted paths of every option; rate rules ({limit, windowSeconds}) count as one option. */
function optionPaths(schema: z.ZodType, prefix = ''): string[] {
  let s = schema as z.ZodType & { _zod: { def: { type: string; innerType?: z.ZodType } } };
  while (['default', 'optional', 'prefault'].includes(s._zod.def.type))
    s = s._zod.def.innerType as typeof s;
  if (s instanceof z.ZodObject) {
    const keys = Object.keys(s.shape);
    if (keys.join() === 'limit,windowSeconds') return [prefix];
    return keys.flatMap((k) => optionPaths(s.shape[k] as z.ZodType, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

describe('configuration', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  it('documents every option and environment variable in the README', () => {
    const paths = optionPaths(configSchema);
    expect(paths.length).toBeGreaterThan(30);
    for (const path of paths) expect(readme, `README lacks \`${path}\``).toContain(`\`${path}\``);

    for (const name of Object.keys(envVars))
      expect(readme, `README lacks ${name}`).toContain(`\`${name}\``);
  });

  it('has a working default for every option', () => {
    const config = parseConfig({});
    expect(config.panel.publicUrl).toBe('http://localhost:8080');
    expect(config.tokens.ttlSeconds).toBe(300);
    expect(Object.isFrozen(config.session)).toBe(true);
  });

  it('names every bad option at once', () => {
    expect(() =>
      parseConfig({ panel: { listen: ['nope'] }, session: { ipv6Prefix: 200 }, surprise: 1 }),
    ).toThrow(ConfigError);
    try {
      parseConfig({ panel: { listen: ['nope'] }, session: { ipv6Prefix: 200 } });
    } catch (e) {
      expect((e as Error).message).toContain('panel.listen.0');
      expect((e as Error).message).toContain('session.ipv6Prefix');
    }
  });

  it('reads lists and flags from environment variables', () => {
    const config = loadConfig({
      BESTIARY_PANEL_LISTEN: '0.0.0.0:80, [::]:80',
      BESTIARY_JOBS: 'off',
      DATABASE_URL: 'postgres://x@y/z',
    });
    expect(config.panel.listen).toEqual(['0.0.0.0:80', '[::]:80']);
    expect(config.jobs.enabled).toBe(false);
    expect(config.databaseUrl).toBe('postgres://x@y/z');
  });
});
