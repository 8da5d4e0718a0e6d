// Domain search (open to everyone), the cart, checkout, and the customer's domains and orders.
// The search term is user input echoed back: the renderer escapes it like everything else.
import { Hono } from 'hono';
import type { SearchResult } from '../../domains/index.js';
import { isAppError } from '../../core/errors.js';
import type { WebEnv } from '../context.js';
import { field } from '../input.js';
import type { PanelDeps } from './deps.js';
import { requireLogin } from './guards.js';
import { accountIdOf, actorOf, problemsOf, redirectWithFlash, render } from './render.js';
import type { PageContext } from './ui.js';
import { formatDay, formatMoney, GetForm, PostForm, Problems } from './ui.js';

function SearchForm(props: { term: string }) {
  return (
    <GetForm action="/domains/search" class="search" role="search">
      <label for="q">Find a domain</label>
      <input
        id="q"
        name="q"
        type="search"
        value={props.term}
        placeholder="example or example.com"
        maxlength={253}
        required
      />
      <button type="submit">Search</button>
    </GetForm>
  );
}

function Results(props: {
  page: PageContext;
  term: string;
  results: SearchResult[];
  currency: string;
}) {
  return (
    <section class="card">
      <h2>
        Results for <q>{props.term}</q>
      </h2>
      <table class="results">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Availability</th>
            <th scope="col">Price</th>
            <th scope="col">
              <span class="visually-hidden">Order</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.results.map((r) => (
            <tr class={r.exact ? 'exact' : undefined}>
              <td>
                {r.displayName}
                {r.displayName !== r.name ? <span class="muted"> ({r.name})</span> : null}
              </td>
              <td>{r.available ? 'Available' : 'Taken'}</td>
              <td>
                {r.kind === 'free-subdomain'
                  ? 'Free'
                  : `${formatMoney(r.pricePerYear, props.currency)} / year`}
              </td>
              <td>
                {r.available ? (
                  props.page.session ? (
                    <PostForm page={props.page} action="/cart" class="inline">
                      <input type="hidden" name="name" value={r.name} />
                      <button type="submit" class="small">
                        Add to cart
                      </button>
                    </PostForm>
                  ) : (
                    <a
                      href={`/login?next=${encodeURIComponent(`/domains/search?q=${encodeURIComponent(props.term)}`)}`}
                    >
                      Log in to order
                    </a>
                  )
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function domainRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { domains } = deps;

  app.get('/domains/search', async (c) => {
    const term = c.req.query('q') ?? '';
    if (!term) return render(c, deps, 'Search domains', () => <SearchForm term="" />);
    try {
      const results = await domains.search(term);
      return render(c, deps, 'Search domains', (page) => (
        <>
          <SearchForm term={term} />
          <Results page={page} term={term} results={results} currency={domains.currency} />
        </>
      ));
    } catch (e) {
      if (!isAppError(e) || e.code !== 'VALIDATION') throw e;
      const errors = problemsOf(e);
      return render(
        c,
        deps,
        'Search domains',
        () => (
          <>
            <SearchForm term={term} />
            <Problems errors={errors} />
          </>
        ),
        400,
      );
    }
  });

  app.use('/cart', requireLogin());
  app.use('/cart/*', requireLogin());
  app.use('/domains', requireLogin());
  app.use('/domains/:name{[^/]+\\.[^/]+}', requireLogin());
  app.use('/orders/*', requireLogin());

  app.get('/cart', async (c) => {
    const items = await domains.cart(accountIdOf(c));
    const total = items.reduce((sum, i) => sum + i.price, 0);
    return render(c, deps, 'Your cart', (page) =>
      items.length === 0 ? (
        <p>
          Your cart is empty. <a href="/domains/search">Search for a domain</a>.
        </p>
      ) : (
        <section class="card">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Term</th>
                <th scope="col">Price</th>
                <th scope="col">
                  <span class="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr>
                  <td>{i.name}</td>
                  <td>
                    {i.kind === 'free-subdomain' ? '—' : `${i.years} year${i.years > 1 ? 's' : ''}`}
                  </td>
                  <td>{i.price === 0 ? 'Free' : formatMoney(i.price, domains.currency)}</td>
                  <td>
                    <PostForm page={page} action={`/cart/${i.id}/remove`} class="inline">
                      <button type="submit" class="link">
                        Remove
                      </button>
                    </PostForm>
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colspan={2}>
                  Total
                </th>
                <td>{formatMoney(total, domains.currency)}</td>
                <td></td>
              </tr>
            </tfoot>
          </table>
          <PostForm page={page} action="/cart/checkout">
            <button type="submit">Place order</button>
          </PostForm>
        </section>
      ),
    );
  });

  app.post('/cart', async (c) => {
    const name = field(c.get('form'), 'name', 300);
    try {
      const item = await domains.addToCart(accountIdOf(c), name);
      return await redirectWithFlash(c, deps, '/cart', `${item.name} is in your cart.`);
    } catch (e) {
      return redirectWithFlash(c, deps, '/cart', problemsOf(e)[0]!);
    }
  });

  app.post('/cart/:id/remove', async (c) => {
    await domains.removeFromCart(accountIdOf(c), c.req.param('id'));
    return redirectWithFlash(c, deps, '/cart', 'Removed from your cart.');
  });

  app.post('/cart/checkout', async (c) => {
    try {
      const order = await domains.checkout(accountIdOf(c), actorOf(c));
      return await redirectWithFlash(
        c,
        deps,
        `/orders/${order.id}`,
        'Thank you: your order has been placed.',
      );
    } catch (e) {
      return redirectWithFlash(c, deps, '/cart', problemsOf(e)[0]!);
    }
  });

  app.get('/orders/:id', async (c) => {
    const { order, items } = await domains.order(accountIdOf(c), c.req.param('id'));
    return render(c, deps, `Order ${order.id}`, () => (
      <section class="card">
        <p>
          Placed {formatDay(order.created_at)} · {formatMoney(order.total, order.currency)} · status{' '}
          <strong>{order.status}</strong>
        </p>
        <ul>
          {items.map((i) => (
            <li>
              {i.name}: {i.status}
            </li>
          ))}
        </ul>
        <p>
          <a href="/domains">Your domains</a>
        </p>
      </section>
    ));
  });

  app.get('/domains', async (c) => {
    const list = await domains.list(accountIdOf(c));
    return render(c, deps, 'Your domains', () =>
      list.length === 0 ? (
        <p>
          You have no domains yet. <a href="/domains/search">Search for one</a>.
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Expires</th>
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <tr>
                <td>
                  <a href={`/domains/${encodeURIComponent(d.name)}`}>{d.name}</a>
                </td>
                <td>{d.status}</td>
                <td>{d.kind === 'free-subdomain' ? 'Never' : formatDay(d.expires_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ),
    );
  });

  app.get('/domains/:name{[^/]+\\.[^/]+}', async (c) => {
    const domain = await domains.get(accountIdOf(c), c.req.param('name'));
    const registry =
      domain.kind === 'registration' ? await domains.registryInfo(domain.name) : null;
    return render(c, deps, domain.name, () => (
      <section class="card">
        <dl>
          <dt>Status</dt>
          <dd>{domain.status}</dd>
          <dt>Kind</dt>
          <dd>{domain.kind === 'free-subdomain' ? 'Free subdomain' : 'Registration'}</dd>
          <dt>Expires</dt>
          <dd>{domain.kind === 'free-subdomain' ? 'Never' : formatDay(domain.expires_at)}</dd>
          <dt>Nameservers</dt>
          <dd>{registry ? registry.nameservers.join(', ') : '—'}</dd>
        </dl>
      </section>
    ));
  });

  return app;
}
