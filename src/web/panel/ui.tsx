// The panel's building blocks: the page layout, forms that always carry the CSRF token, fields
// with labels and errors. Every value is escaped by the renderer; nothing here emits raw HTML.
import type { Child, PropsWithChildren } from 'hono/jsx';
import type { Session } from '../../accounts/index.js';
import { navItems } from './nav.js';

export interface PageContext {
  title: string;
  path: string;
  session: Session | undefined;
  csrf: string;
  flash: string | null;
  providerName: string;
  cartCount?: number;
}

export function Layout(props: PropsWithChildren<{ page: PageContext }>) {
  const { page } = props;
  const account =
    page.session && !page.session.secondFactorPending ? page.session.account : undefined;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${page.title} · ${page.providerName}`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/">
            {page.providerName}
          </a>
          <nav aria-label="Main">
            <ul>
              {navItems
                .filter((item) => item.visible(page.session))
                .map((item) => (
                  <li>
                    <a
                      href={item.href}
                      aria-current={item.href === currentHref(page) ? 'page' : undefined}
                    >
                      {item.label}
                    </a>
                  </li>
                ))}
            </ul>
          </nav>
          <div class="who">
            {account ? (
              <>
                <a href="/cart">Cart{page.cartCount ? ` (${page.cartCount})` : ''}</a>
                <span class="email">{account.email}</span>
                <PostForm page={page} action="/logout" class="inline">
                  <button type="submit" class="link">
                    Log out
                  </button>
                </PostForm>
              </>
            ) : (
              <>
                <a href="/login">Log in</a>
                <a href="/signup" class="button small">
                  Sign up
                </a>
              </>
            )}
          </div>
        </header>
        <main id="main">
          {page.flash ? (
            <p class="flash" role="status">
              {page.flash}
            </p>
          ) : null}
          <h1>{page.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

function isCurrent(path: string, href: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

/** The one navigation entry for this page: the longest that matches (/account/ssh-keys is not /account). */
function currentHref(page: PageContext): string | undefined {
  const matching = navItems.filter(
    (item) => item.visible(page.session) && isCurrent(page.path, item.href),
  );
  return matching.sort((a, b) => b.href.length - a.href.length)[0]?.href;
}

/** The only way the panel makes a POST form: it always carries the CSRF token. */
export function PostForm(
  props: PropsWithChildren<{
    page: PageContext;
    action: string;
    class?: string;
    enctype?: 'multipart/form-data';
  }>,
) {
  return (
    // eslint-disable-next-line no-restricted-syntax -- this is the one reviewed form element
    <form method="post" action={props.action} class={props.class} enctype={props.enctype}>
      <input type="hidden" name="_csrf" value={props.page.csrf} />
      {props.children}
    </form>
  );
}

/** A GET form (searches, filters): no state changes, so no CSRF token. */
export function GetForm(
  props: PropsWithChildren<{ action: string; class?: string; role?: string }>,
) {
  return (
    // eslint-disable-next-line no-restricted-syntax -- the one reviewed GET form element
    <form method="get" action={props.action} class={props.class} role={props.role}>
      {props.children}
    </form>
  );
}

export function Field(props: {
  label: string;
  name: string;
  type?: string;
  value?: string;
  hint?: Child;
  autocomplete?: string;
  required?: boolean;
  inputmode?: 'numeric' | 'email' | 'text';
  pattern?: string;
  maxlength?: number;
}) {
  const hintId = props.hint ? `${props.name}-hint` : undefined;
  return (
    <div class="field">
      <label for={props.name}>{props.label}</label>
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        autocomplete={props.autocomplete}
        required={props.required}
        inputmode={props.inputmode}
        pattern={props.pattern}
        maxlength={props.maxlength}
        aria-describedby={hintId}
      />
      {props.hint ? (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

/** A form's problems, announced to screen readers. */
export function Problems(props: { errors: readonly string[] }) {
  if (props.errors.length === 0) return null;
  return (
    <div class="problems" role="alert">
      <p>Please fix this and try again:</p>
      <ul>
        {props.errors.map((e) => (
          <li>{e}</li>
        ))}
      </ul>
    </div>
  );
}

// Building an Intl.NumberFormat costs far more than using one (it was most of the search page's
// time, one per price shown), so there is one per currency.
const moneyFormats = new Map<string, Intl.NumberFormat>();
export function formatMoney(minor: number, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  return format.format(minor / 100);
}

export const formatDate = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—';

export const formatDay = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : '—');
