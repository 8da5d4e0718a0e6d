// HTTP(S): final status, optional keyword, redirects followed, and a body excerpt in the message.
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Check } from './check.js';
import { describeError, since, stalled, stalledResult, timeoutError } from './check.js';
import { excerpt } from '../format.js';
import type { HttpParams } from '../types.js';

/** Enough body for a keyword near the top and an excerpt; more only costs memory. */
const maxBody = 64 * 1024;

interface Response {
  status: number;
  location: string | undefined;
  body: string;
}

function fetchOnce(url: URL, p: HttpParams, signal: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: p.method ?? 'GET',
        // A fresh connection per probe: a pooled socket would hide a dead listener.
        agent: false,
        signal,
        rejectUnauthorized: p.verifyTls ?? true,
        headers: { 'user-agent': 'BestiaryMonitor/1', ...p.headers },
      },
      (res: IncomingMessage) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          if (body.length >= maxBody) res.destroy();
        });
        const done = (): void =>
          resolve({ status: res.statusCode ?? 0, location: res.headers.location, body });
        res.once('end', done);
        res.once('close', done);
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end();
  });
}

export const http: Check<'http'> = {
  type: 'http',
  hostOf: (p) => {
    try {
      return new URL(p.url).hostname;
    } catch {
      return p.url;
    }
  },
  async run(p, ctx) {
    const start = process.hrtime.bigint();
    const abort = new AbortController();
    let late = false;
    const timer = setTimeout(() => {
      late = stalled(start, ctx.timeoutMs);
      abort.abort(timeoutError());
    }, ctx.timeoutMs);
    try {
      let url = new URL(p.url);
      let res = await fetchOnce(url, p, abort.signal);
      for (
        let hops = 0;
        hops < (p.maxRedirects ?? 5) && res.location && res.status >= 300 && res.status < 400;
        hops++
      ) {
        url = new URL(res.location, url);
        res = await fetchOnce(url, p, abort.signal);
      }
      const latencyMs = since(start);
      const accepted = p.statuses
        ? p.statuses.includes(res.status)
        : res.status >= 200 && res.status < 400;
      if (!accepted)
        return {
          status: 'down',
          latencyMs,
          message: `Status ${res.status} (${excerpt(res.body)})`,
        };
      if (p.keyword && !res.body.includes(p.keyword))
        return {
          status: 'down',
          latencyMs,
          message: `keyword "${p.keyword}" not found (${excerpt(res.body)})`,
        };
      return { status: 'up', latencyMs, message: `Status ${res.status}` };
    } catch (err) {
      if (late) return stalledResult;
      const cause = abort.signal.aborted ? timeoutError() : err;
      return { status: 'down', message: describeError(cause, ctx.timeoutMs) };
    } finally {
      clearTimeout(timer);
    }
  },
};
