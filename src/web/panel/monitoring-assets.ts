// uPlot's script and stylesheet, served from our own origin out of the `uplot` package: the strict
// CSP allows scripts from 'self' only, and no page depends on a third party being up.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Hono } from 'hono';
import type { WebEnv } from '../context.js';

const files: Record<string, { path: string; type: string }> = {
  'uPlot.iife.min.js': {
    path: 'uplot/dist/uPlot.iife.min.js',
    type: 'text/javascript; charset=utf-8',
  },
  'uPlot.min.css': { path: 'uplot/dist/uPlot.min.css', type: 'text/css; charset=utf-8' },
};

export function uplotRoutes() {
  const require = createRequire(import.meta.url);
  const loaded = new Map(
    Object.entries(files).map(([name, f]) => [
      name,
      { body: readFileSync(require.resolve(f.path)), type: f.type },
    ]),
  );
  const app = new Hono<WebEnv>();
  app.get('/vendor/uplot/:file', (c) => {
    const f = loaded.get(c.req.param('file'));
    if (!f) return c.notFound();
    return c.body(new Uint8Array(f.body), 200, {
      'Content-Type': f.type,
      'Cache-Control': 'public, max-age=86400',
    });
  });
  return app;
}
