// "Who may issue for this name?": RFC 8659's algorithm over what our server serves, for normal
// and wildcard certificates, with where the CAA RRset was found, aliases followed, and each step.
import { Hono } from 'hono';
import type { CaaEvaluation, ZoneRow } from '../../dns/index.js';
import { resolveHost } from '../../dns/index.js';
import type { WebEnv } from '../context.js';
import { ZoneNav, zoneOf } from './dns-common.js';
import { IssueForm } from './dns-zone.js';
import type { PanelDeps } from './deps.js';
import { problemsOf, render } from './render.js';
import { Problems } from './ui.js';

type Policy = CaaEvaluation['normal'];

/** A policy in words: who, then why. */
function PolicyText(props: { policy: Policy; testid: string }) {
  const p = props.policy;
  return (
    <div data-testid={props.testid}>
      {p.kind === 'anyone' ? <strong>Any CA may issue.</strong> : null}
      {p.kind === 'nobody' ? <strong>No CA may issue.</strong> : null}
      {p.kind === 'unknown' ? <strong>Cannot tell.</strong> : null}
      {p.kind === 'issuers' ? (
        <>
          <strong>Only these CAs may issue:</strong>
          <ul>
            {p.issuers.map((i) => (
              <li>
                <code>{i.domain}</code>
                {i.parameters.length
                  ? ` with ${i.parameters.map((x) => `${x.key}=${x.value}`).join('; ')}`
                  : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}{' '}
      <span class="muted">{`Why: ${p.reason}.`}</span>
    </div>
  );
}

function Answer(props: { e: CaaEvaluation }) {
  const { e } = props;
  return (
    <section class="card" aria-labelledby="answer">
      <h2 id="answer">{`Certificates for ${e.name}`}</h2>
      <dl class="caa-answer">
        <dt>{`A certificate for ${e.name}`}</dt>
        <dd>
          <PolicyText policy={e.normal} testid="normal" />
        </dd>
        <dt>{`A wildcard certificate for *.${e.name}`}</dt>
        <dd>
          <PolicyText policy={e.wildcard} testid="wildcard" />
        </dd>
        <dt>CAA records found at</dt>
        <dd data-testid="found-at">
          {e.foundAt === null
            ? 'No CAA records apply: none at the name or any parent in the zone.'
            : e.foundAt === e.relevantName
              ? e.foundAt
              : `${e.foundAt} (looked up at ${e.relevantName ?? '?'})`}
        </dd>
        {e.aliases.length ? (
          <>
            <dt>Aliases followed</dt>
            <dd data-testid="aliases">{e.aliases.join(' → ')}</dd>
          </>
        ) : null}
        {e.records.length ? (
          <>
            <dt>The CAA records</dt>
            <dd>
              <ul class="plain">
                {e.records.map((r) => (
                  <li>
                    <code>{`${r.flags} ${r.tag} "${r.value}"`}</code>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {e.iodef.length ? (
          <>
            <dt>Refused requests are reported to</dt>
            <dd>{e.iodef.join(', ')}</dd>
          </>
        ) : null}
      </dl>
      <h3>How this was worked out</h3>
      <ol class="caa-steps">
        {e.steps.map((s) => (
          <li>{s}</li>
        ))}
      </ol>
    </section>
  );
}

export function dnsIssueRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();

  const page = (
    c: Parameters<typeof render>[0],
    zone: ZoneRow,
    name: string,
    body: { e?: CaaEvaluation; errors?: string[] },
    status: 200 | 400 = 200,
  ) =>
    render(
      c,
      deps,
      `Who may issue for names in ${zone.name}?`,
      () => (
        <>
          <ZoneNav zone={zone} />
          <section class="card">
            <IssueForm zone={zone} name={name} />
            <Problems errors={body.errors ?? []} />
          </section>
          {body.e ? <Answer e={body.e} /> : null}
        </>
      ),
      status,
    );

  app.get('/dns/:zone/issue', async (c) => {
    const zone = await zoneOf(c, deps);
    const name = c.req.query('name');
    if (name === undefined) return page(c, zone, '', {});
    try {
      const e = await deps.dns.whoMayIssue(resolveHost(name, `${zone.name}.`));
      return await page(c, zone, name, { e });
    } catch (err) {
      return page(c, zone, name, { errors: problemsOf(err) }, 400);
    }
  });

  return app;
}
