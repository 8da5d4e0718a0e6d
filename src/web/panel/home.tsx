// The front page: a dashboard for customers, a search box and a welcome for everyone else.
import { Hono } from 'hono';
import type { WebEnv } from '../context.js';
import type { PanelDeps } from './deps.js';
import { render } from './render.js';
import { GetForm } from './ui.js';

export function homeRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();

  app.get('/', async (c) => {
    const session = c.get('session');
    if (session?.secondFactorPending) return c.redirect('/login/2fa', 303);
    if (session?.account.mustChangePassword) return c.redirect('/account/password', 303);
    const search = (
      <GetForm action="/domains/search" class="search" role="search">
        <label for="q">Find a domain</label>
        <input
          id="q"
          name="q"
          type="search"
          placeholder="example or example.com"
          maxlength={253}
          required
        />
        <button type="submit">Search</button>
      </GetForm>
    );
    if (!session) {
      return render(c, deps, `Welcome to ${deps.config.provider.name}`, () => (
        <>
          <p>
            Domains, DNS, Raspberry Pi servers, monitoring and backups, from one small provider.
          </p>
          {search}
          <p>
            <a class="button" href="/signup">
              Create an account
            </a>{' '}
            or <a href="/login">log in</a>.
          </p>
        </>
      ));
    }
    const id = session.account.id;
    const [domains, keys, cart] = await Promise.all([
      deps.domains.list(id),
      deps.accounts.apiKeys.list(id),
      deps.domains.cart(id),
    ]);
    return render(c, deps, 'Dashboard', () => (
      <>
        <div class="stats">
          <section class="card">
            <h2>Domains</h2>
            <p class="stat">{domains.length}</p>
            <a href="/domains">Manage domains</a>
          </section>
          <section class="card">
            <h2>API keys</h2>
            <p class="stat">{keys.filter((k) => !k.revokedAt).length}</p>
            <a href="/account/keys">Manage keys</a>
          </section>
          <section class="card">
            <h2>Cart</h2>
            <p class="stat">{cart.length}</p>
            <a href="/cart">View cart</a>
          </section>
        </div>
        {search}
      </>
    ));
  });

  return app;
}
