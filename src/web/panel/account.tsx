// The customer's own settings: password, two-factor authentication and their activity log.
import { Hono } from 'hono';
import QRCode from 'qrcode';
import type { WebEnv } from '../context.js';
import { field } from '../input.js';
import type { SessionCookieOptions } from '../middleware/session.js';
import { sessionCookie } from '../middleware/session.js';
import type { PanelDeps } from './deps.js';
import { accountIdOf, actorOf, problemsOf, redirectWithFlash, render, statusOf } from './render.js';
import type { PageContext } from './ui.js';
import { Field, formatDate, PostForm, Problems } from './ui.js';

export function accountRoutes(deps: PanelDeps, cookie: SessionCookieOptions) {
  const app = new Hono<WebEnv>();
  const { accounts, sessions, twoFactor, audit } = deps.accounts;

  const passwordForm = (page: PageContext, errors: string[] = []) => (
    <section class="card">
      <h2>Change password</h2>
      {page.session?.account.mustChangePassword ? (
        <p class="notice">
          Your password was set by someone else. Please choose your own before going on.
        </p>
      ) : null}
      <Problems errors={errors} />
      <PostForm page={page} action="/account/password">
        <Field
          label="Current password"
          name="current"
          type="password"
          autocomplete="current-password"
          required
        />
        <Field
          label="New password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          hint="At least 10 characters. Every other session will be logged out."
        />
        <button type="submit">Change password</button>
      </PostForm>
    </section>
  );

  app.get('/account', async (c) => {
    const id = accountIdOf(c);
    const events = await audit.list({ ownerAccountId: id, limit: 20 });
    const account = c.get('session')!.account;
    return render(c, deps, 'Account', (page) => (
      <>
        <section class="card">
          <h2>Your details</h2>
          <dl>
            <dt>Email</dt>
            <dd>{account.email}</dd>
            <dt>Name</dt>
            <dd>{account.name || '—'}</dd>
            <dt>Two-factor authentication</dt>
            <dd>
              {account.twoFactorEnabled ? 'On' : 'Off'} ·{' '}
              <a href="/account/2fa">{account.twoFactorEnabled ? 'Manage' : 'Turn on'}</a>
            </dd>
          </dl>
        </section>
        {passwordForm(page)}
        <section class="card">
          <h2>Recent activity</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Object</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr>
                  <td>{formatDate(e.at)}</td>
                  <td>{e.action}</td>
                  <td>{`${e.objectType} ${e.objectId}`}</td>
                  <td>{e.ip ?? e.channel}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </>
    ));
  });

  app.get('/account/password', (c) =>
    render(c, deps, 'Change password', (page) => passwordForm(page)),
  );

  app.post('/account/password', async (c) => {
    const form = c.get('form');
    const session = c.get('session')!;
    try {
      await accounts.changePassword(
        session.account.id,
        field(form, 'current', 2048),
        field(form, 'password', 2048),
        actorOf(c),
      );
    } catch (e) {
      const errors = problemsOf(e);
      return render(c, deps, 'Change password', (page) => passwordForm(page, errors), statusOf(e));
    }
    // Every session ended with the change, this one included: give this browser a fresh one.
    const token = await sessions.create(
      session.account.id,
      c.get('clientIp'),
      c.req.header('user-agent') ?? '',
    );
    sessionCookie(c, cookie, token);
    const fresh = await sessions.resolve(token, c.get('clientIp'));
    if (fresh.status === 'ok')
      await sessions.setFlash(
        fresh.session.idHash,
        'Your password has been changed; other sessions were logged out.',
      );
    return c.redirect('/account', 303);
  });

  const setupPage = (page: PageContext, secret: string, errors: string[] = []) => (
    <section class="card">
      <h2>Set up two-factor authentication</h2>
      <Problems errors={errors} />
      <ol>
        <li>Scan this code with an authenticator app (or type the key below into it).</li>
        <li>Enter the six-digit code the app shows.</li>
      </ol>
      <img
        src="/account/2fa/qr.svg"
        width="200"
        height="200"
        alt="QR code for your authenticator app"
        class="qr"
      />
      <p>
        Key: <code class="secret">{secret}</code>
      </p>
      <PostForm page={page} action="/account/2fa/enable">
        <Field
          label="Code from the app"
          name="code"
          autocomplete="one-time-code"
          inputmode="numeric"
          pattern="[0-9 ]{6,7}"
          required
        />
        <button type="submit">Turn on two-factor authentication</button>
      </PostForm>
    </section>
  );

  app.get('/account/2fa', async (c) => {
    const id = accountIdOf(c);
    const account = c.get('session')!.account;
    if (account.twoFactorEnabled) {
      const left = await twoFactor.remainingRecoveryCodes(id);
      return render(c, deps, 'Two-factor authentication', (page) => (
        <section class="card">
          <p>Two-factor authentication is on. You have {left} unused recovery codes.</p>
          <PostForm page={page} action="/account/2fa/disable">
            <Field
              label="Password (to turn it off)"
              name="password"
              type="password"
              autocomplete="current-password"
              required
            />
            <button type="submit" class="danger">
              Turn off two-factor authentication
            </button>
          </PostForm>
        </section>
      ));
    }
    const pending = (await twoFactor.pending(id)) ?? (await twoFactor.begin(id));
    return render(c, deps, 'Two-factor authentication', (page) => setupPage(page, pending.secret));
  });

  app.get('/account/2fa/qr.svg', async (c) => {
    const pending = await twoFactor.pending(accountIdOf(c));
    if (!pending) return c.notFound();
    const svg = await QRCode.toString(pending.uri, {
      type: 'svg',
      margin: 2,
      errorCorrectionLevel: 'M',
    });
    return c.body(svg, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'no-store' });
  });

  app.post('/account/2fa/enable', async (c) => {
    const id = accountIdOf(c);
    try {
      const codes = await twoFactor.enable(id, field(c.get('form'), 'code', 20), actorOf(c));
      return render(c, deps, 'Two-factor authentication is on', () => (
        <section class="card">
          <p>
            Keep these recovery codes somewhere safe. Each works once, if you lose your
            authenticator. They will not be shown again.
          </p>
          <ul class="codes" data-testid="recovery-codes">
            {codes.map((code) => (
              <li>
                <code>{code}</code>
              </li>
            ))}
          </ul>
          <p>
            <a href="/account">Back to your account</a>
          </p>
        </section>
      ));
    } catch (e) {
      const errors = problemsOf(e);
      const pending = await twoFactor.pending(id);
      return render(
        c,
        deps,
        'Two-factor authentication',
        (page) => setupPage(page, pending?.secret ?? '', errors),
        statusOf(e),
      );
    }
  });

  app.post('/account/2fa/disable', async (c) => {
    try {
      await twoFactor.disable(accountIdOf(c), field(c.get('form'), 'password', 2048), actorOf(c));
    } catch (e) {
      const errors = problemsOf(e);
      return render(
        c,
        deps,
        'Two-factor authentication',
        () => <Problems errors={errors} />,
        statusOf(e),
      );
    }
    return redirectWithFlash(c, deps, '/account', 'Two-factor authentication is off.');
  });

  return app;
}
