// Logging in (with the second factor), logging out, signing up with a confirmed address, and
// resetting a forgotten password. No answer here reveals whether an account exists.
import { Hono } from 'hono';
import type { WebEnv } from '../context.js';
import { field } from '../input.js';
import type { SessionCookieOptions } from '../middleware/session.js';
import { sessionCookie } from '../middleware/session.js';
import type { PanelDeps } from './deps.js';
import type { PanelContext } from './render.js';
import { actorOf, problemsOf, render, safeNext, statusOf } from './render.js';
import type { PageContext } from './ui.js';
import { Field, PostForm, Problems } from './ui.js';

function LoginForm(props: { page: PageContext; email?: string; next: string; errors?: string[] }) {
  return (
    <section class="narrow">
      <Problems errors={props.errors ?? []} />
      <PostForm page={props.page} action="/login">
        <input type="hidden" name="next" value={props.next} />
        <Field
          label="Email"
          name="email"
          type="email"
          value={props.email}
          autocomplete="username"
          required
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
        <button type="submit">Log in</button>
      </PostForm>
      <p>
        <a href="/password/forgot">Forgotten your password?</a> ·{' '}
        <a href="/signup">Create an account</a>
      </p>
    </section>
  );
}

export function authRoutes(deps: PanelDeps, cookie: SessionCookieOptions) {
  const app = new Hono<WebEnv>();
  const { accounts, sessions, twoFactor } = deps.accounts;

  app.get('/login', (c) => {
    if (c.get('session') && !c.get('session')!.secondFactorPending) return c.redirect('/', 303);
    return render(c, deps, 'Log in', (page) => (
      <LoginForm page={page} next={safeNext(c.req.query('next'))} />
    ));
  });

  app.post('/login', async (c) => {
    const form = c.get('form');
    const email = field(form, 'email', 320);
    const next = safeNext(field(form, 'next', 2000));
    try {
      const account = await accounts.verifyLogin(
        email,
        field(form, 'password', 2048),
        c.get('clientIp'),
      );
      const old = c.get('session');
      if (old) await sessions.destroy(old.idHash);
      const token = await sessions.create(
        account.id,
        c.get('clientIp'),
        c.req.header('user-agent') ?? '',
        {
          secondFactorPending: account.twoFactorEnabled,
        },
      );
      sessionCookie(c, cookie, token);
      return c.redirect(
        account.twoFactorEnabled ? `/login/2fa?next=${encodeURIComponent(next)}` : next,
        303,
      );
    } catch (e) {
      const errors = problemsOf(e);
      return render(
        c,
        deps,
        'Log in',
        (page) => <LoginForm page={page} email={email} next={next} errors={errors} />,
        statusOf(e),
      );
    }
  });

  const secondFactorPage = (
    c: PanelContext,
    errors: string[] = [],
    status: 400 | 401 | 429 | 200 = 200,
  ) =>
    render(
      c,
      deps,
      'Two-factor authentication',
      (page) => (
        <section class="narrow">
          <Problems errors={errors} />
          <p>
            Enter the six-digit code from your authenticator app, or one of your recovery codes.
          </p>
          <PostForm page={page} action="/login/2fa">
            <input type="hidden" name="next" value={safeNext(c.req.query('next'))} />
            <Field
              label="Code"
              name="code"
              autocomplete="one-time-code"
              inputmode="text"
              required
              maxlength={20}
            />
            <button type="submit">Continue</button>
          </PostForm>
        </section>
      ),
      status,
    );

  app.get('/login/2fa', (c) => {
    if (!c.get('session')?.secondFactorPending) return c.redirect('/login', 303);
    return secondFactorPage(c);
  });

  app.post('/login/2fa', async (c) => {
    const session = c.get('session');
    if (!session?.secondFactorPending) return c.redirect('/login', 303);
    try {
      const { usedRecoveryCode } = await twoFactor.verify(
        session.account.id,
        field(c.get('form'), 'code', 40),
        actorOf(c),
      );
      const token = await sessions.completeSecondFactor(
        session,
        c.get('clientIp'),
        c.req.header('user-agent') ?? '',
      );
      sessionCookie(c, cookie, token);
      if (usedRecoveryCode) {
        const left = await twoFactor.remainingRecoveryCodes(session.account.id);
        const fresh = await sessions.resolve(token, c.get('clientIp'));
        if (fresh.status === 'ok') {
          await sessions.setFlash(
            fresh.session.idHash,
            `You used a recovery code; ${left} remain. Consider setting up two-factor authentication again.`,
          );
        }
      }
      return c.redirect(safeNext(field(c.get('form'), 'next', 2000)), 303);
    } catch (e) {
      return secondFactorPage(c, problemsOf(e), statusOf(e) === 429 ? 429 : 401);
    }
  });

  app.post('/logout', async (c) => {
    const session = c.get('session');
    if (session) await sessions.destroy(session.idHash);
    sessionCookie(c, cookie, null);
    return c.redirect('/', 303);
  });

  const signupForm = (
    page: PageContext,
    values: { email?: string; name?: string } = {},
    errors: string[] = [],
  ) => (
    <section class="narrow">
      <Problems errors={errors} />
      <PostForm page={page} action="/signup">
        <Field
          label="Email"
          name="email"
          type="email"
          value={values.email}
          autocomplete="email"
          required
        />
        <Field
          label="Your name"
          name="name"
          value={values.name}
          autocomplete="name"
          hint="Optional."
          maxlength={200}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          hint="At least 10 characters."
        />
        <button type="submit">Create account</button>
      </PostForm>
      <p>
        Already have an account? <a href="/login">Log in</a>.
      </p>
    </section>
  );

  app.get('/signup', (c) => render(c, deps, 'Create an account', (page) => signupForm(page)));

  app.post('/signup', async (c) => {
    const form = c.get('form');
    const values = { email: field(form, 'email', 320), name: field(form, 'name', 400) };
    try {
      await accounts.requestSignUp(
        { ...values, password: field(form, 'password', 2048) },
        actorOf(c),
      );
      return render(c, deps, 'Check your email', () => (
        <section class="narrow">
          <p>
            We have sent a message to <strong>{values.email.trim().toLowerCase()}</strong>. Follow
            the link in it to open your account.
          </p>
        </section>
      ));
    } catch (e) {
      const errors = problemsOf(e);
      return render(
        c,
        deps,
        'Create an account',
        (page) => signupForm(page, values, errors),
        statusOf(e),
      );
    }
  });

  app.get('/signup/confirm', (c) =>
    render(c, deps, 'Confirm your account', (page) => (
      <section class="narrow">
        <p>Confirm your address to open your account.</p>
        <PostForm page={page} action="/signup/confirm">
          <input type="hidden" name="token" value={c.req.query('token') ?? ''} />
          <button type="submit">Open my account</button>
        </PostForm>
      </section>
    )),
  );

  app.post('/signup/confirm', async (c) => {
    try {
      const account = await accounts.confirmSignUp(field(c.get('form'), 'token', 100), actorOf(c));
      const token = await sessions.create(
        account.id,
        c.get('clientIp'),
        c.req.header('user-agent') ?? '',
      );
      sessionCookie(c, cookie, token);
      const fresh = await sessions.resolve(token, c.get('clientIp'));
      if (fresh.status === 'ok')
        await sessions.setFlash(fresh.session.idHash, 'Welcome! Your account is open.');
      return c.redirect('/', 303);
    } catch (e) {
      const errors = problemsOf(e);
      return render(
        c,
        deps,
        'Confirm your account',
        () => <Problems errors={errors} />,
        statusOf(e),
      );
    }
  });

  const forgotForm = (page: PageContext, errors: string[] = []) => (
    <section class="narrow">
      <Problems errors={errors} />
      <p>
        Enter your account's email address and we will send you a link to choose a new password.
      </p>
      <PostForm page={page} action="/password/forgot">
        <Field label="Email" name="email" type="email" autocomplete="email" required />
        <button type="submit">Send the link</button>
      </PostForm>
    </section>
  );

  app.get('/password/forgot', (c) =>
    render(c, deps, 'Forgotten password', (page) => forgotForm(page)),
  );

  app.post('/password/forgot', async (c) => {
    try {
      await accounts.requestPasswordReset(field(c.get('form'), 'email', 320), actorOf(c));
    } catch (e) {
      const errors = problemsOf(e);
      return render(c, deps, 'Forgotten password', (page) => forgotForm(page, errors), statusOf(e));
    }
    return render(c, deps, 'Check your email', () => (
      <section class="narrow">
        <p>
          If an account uses that address, we have sent it a link to choose a new password. The link
          works for an hour.
        </p>
      </section>
    ));
  });

  const resetForm = (page: PageContext, token: string, errors: string[] = []) => (
    <section class="narrow">
      <Problems errors={errors} />
      <PostForm page={page} action="/password/reset">
        <input type="hidden" name="token" value={token} />
        <Field
          label="New password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          hint="At least 10 characters."
        />
        <button type="submit">Set the new password</button>
      </PostForm>
    </section>
  );

  app.get('/password/reset', async (c) => {
    const token = c.req.query('token') ?? '';
    if (!(await accounts.checkResetToken(token))) {
      return render(
        c,
        deps,
        'Choose a new password',
        () => (
          <Problems
            errors={[
              'This password reset link is invalid or has expired. Please ask for a new one.',
            ]}
          />
        ),
        400,
      );
    }
    return render(c, deps, 'Choose a new password', (page) => resetForm(page, token));
  });

  app.post('/password/reset', async (c) => {
    const form = c.get('form');
    const token = field(form, 'token', 100);
    try {
      await accounts.resetPassword(token, field(form, 'password', 2048), actorOf(c));
    } catch (e) {
      const errors = problemsOf(e);
      return render(
        c,
        deps,
        'Choose a new password',
        (page) => resetForm(page, token, errors),
        statusOf(e),
      );
    }
    sessionCookie(c, cookie, null);
    return render(c, deps, 'Password changed', () => (
      <section class="narrow">
        <p>
          Your password has been changed and every session has been logged out.{' '}
          <a href="/login">Log in</a> with your new password.
        </p>
      </section>
    ));
  });

  return app;
}
