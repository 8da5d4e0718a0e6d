// Static assets (our CSS and JS, vendored libraries) served from memory with long caching.
// They are the only scripts and styles the CSP allows.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { WebEnv } from './context.js';

const types: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const assetDir = fileURLToPath(new URL('./assets/', import.meta.url));

function loadAssets(dir: string, prefix = ''): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      for (const [k, v] of loadAssets(path, `${prefix}${name}/`)) files.set(k, v);
    } else if (types[extname(name)]) {
      files.set(`${prefix}${name}`, readFileSync(path));
    }
  }
  return files;
}

export function assetRoutes() {
  const files = loadAssets(assetDir);
  const app = new Hono<WebEnv>();
  app.get('/assets/*', (c) => {
    const name = c.req.path.slice('/assets/'.length);
    const body = files.get(name);
    if (!body) return c.notFound();
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': types[extname(name)]!,
      'Cache-Control': 'public, max-age=3600',
    });
  });
  // Browsers ask for /favicon.ico on every first visit; an empty answer, cached, instead of a
  // 404 in every console.
  app.get('/favicon.ico', (c) => c.body(null, 204, { 'Cache-Control': 'public, max-age=86400' }));
  return app;
}
