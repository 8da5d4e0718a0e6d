// Clients that talk to the app the way browsers and API tools do: a panel client with a cookie
// jar that fills in CSRF tokens and Origin like a browser, and an API client. Both run in-process
// through Hono's app.request, with the client address the socket would have given.
import type { App } from '../../src/main.js';

type Fetchable = Pick<App['panel'], 'request'>;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

const envFor = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });

async function toReply(res: Response): Promise<Reply> {
  return {
    status: res.status,
    headers: res.headers,
    text: await res.text(),
    location: res.headers.get('location'),
  };
}

/** The value of the first hidden _csrf field in a page. */
export function csrfIn(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1]!;
}

export class PanelClient {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly app: Fetchable,
    public ip = '127.0.0.1',
    private readonly origin = 'http://localhost:8080',
  ) {}

  private store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some(
        (a) => /max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a),
      );
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { ...(cookie ? { cookie } : {}), host: new URL(this.origin).host, ...extra };
  }

  async get(path: string): Promise<Reply> {
    const res = await this.app.request(
      `${this.origin}${path}`,
      { headers: this.headers() },
      envFor(this.ip),
    );
    this.store(res);
    return toReply(res);
  }

  /** POST a form as a browser would: with the page's CSRF token and our Origin. */
  async post(
    path: string,
    fields: Record<string, string>,
    options: { csrfFrom?: string; csrf?: string; origin?: string | null } = {},
  ): Promise<Reply> {
    const csrf = options.csrf ?? (await this.csrfToken(options.csrfFrom ?? '/'));
    const body = new URLSearchParams({ _csrf: csrf, ...fields }).toString();
    const origin = options.origin === undefined ? this.origin : options.origin;
    const res = await this.app.request(
      `${this.origin}${path}`,
      {
        method: 'POST',
        body,
        headers: this.headers({
          'content-type': 'application/x-www-form-urlencoded',
          ...(origin ? { origin } : {}),
        }),
      },
      envFor(this.ip),
    );
    this.store(res);
    return toReply(res);
  }

  /** The CSRF token a page would give this browser (its session's, or its anonymous cookie's). */
  async csrfToken(from = '/'): Promise<string> {
    for (const path of [from, '/login', '/account']) {
      const html = (await this.get(path)).text;
      if (html.includes('name="_csrf"')) return csrfIn(html);
    }
    throw new Error('no page offered a CSRF token');
  }

  /** Follow a redirect reply with a GET. */
  async follow(reply: Reply): Promise<Reply> {
    if (!reply.location) throw new Error(`expected a redirect, got ${reply.status}`);
    return this.get(reply.location.replace(this.origin, ''));
  }
}

export class ApiClient {
  constructor(
    private readonly app: Fetchable,
    public ip = '127.0.0.1',
    private readonly base = 'http://localhost:8081',
  ) {}

  async request(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string | Uint8Array } = {},
  ): Promise<Reply> {
    const res = await this.app.request(
      `${this.base}${path}`,
      {
        method,
        headers: init.headers ?? {},
        ...(init.body !== undefined ? { body: init.body } : {}),
      },
      envFor(this.ip),
    );
    return toReply(res);
  }

  /** POST /login with HTTP Basic, as lego does. */
  async token(keyId: string, secret: string): Promise<string> {
    const reply = await this.request('POST', '/login', {
      headers: {
        authorization: basic(keyId, secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    if (reply.status !== 200)
      throw new Error(`token request failed: ${reply.status} ${reply.text}`);
    return (JSON.parse(reply.text) as { access_token: string }).access_token;
  }
}

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
