// What to tell people (pure): silences, acknowledgements, parent/child suppression and storm summaries.
import { formatDuration, labelOf, problemLine, recoveryLine } from './format.js';
import type { CheckState } from './state.js';
import { defaultFlap, isPending, step } from './state.js';
import type { Alert, AlertKind, AlertMember, CheckDefinition, Status } from './types.js';

/** A parent's storm: how many dependent failures people have been told about, and when. */
export interface GroupState {
  toldCount: number;
  toldAt: number;
}

/** The alerting world. The engine owns it; these functions change it in place, with no I/O. */
export interface AlertWorld {
  states: Map<string, CheckState>;
  defs: Map<string, CheckDefinition>;
  children: Map<string, Set<string>>;
  groups: Map<string, GroupState>;
  seq: number;
}

export interface AlertingOptions {
  /** A storm behind one parent is re-counted at most this often. */
  groupIntervalMs: number;
  /** More problems than this released behind one parent at once become one summary line. */
  summariseAbove: number;
}
export const defaultAlerting: AlertingOptions = { groupIntervalMs: 30_000, summariseAbove: 3 };

/** Alerts to send, and parents to check at once because a child's failure may be theirs. */
export interface Outcome {
  alerts: Alert[];
  checkNow: string[];
  /** Checks whose state may have changed, for persistence. */
  touched: string[];
}

interface Work extends Outcome {
  released: Map<string, Alert[]>;
  /** Children behind a recovered parent are released only by tick(), so they leave together. */
  fromTick: boolean;
}

const newWork = (fromTick = false): Work => ({
  alerts: [],
  checkNow: [],
  touched: [],
  released: new Map(),
  fromTick,
});

function mint(
  w: AlertWorld,
  kind: AlertKind,
  def: CheckDefinition,
  line: string,
  at: number,
  extra: Partial<Alert> = {},
): Alert {
  const id = `${at.toString(36)}.${(w.seq++).toString(36)}`;
  return {
    id,
    kind,
    checkId: def.id,
    accountId: def.accountId,
    label: labelOf(def),
    line,
    at,
    ...extra,
  };
}

/** How long a child's alert may wait for its parent's verdict: the parent's worst confirmation. */
const holdFor = (p: CheckDefinition): number =>
  p.timeoutMs + (Math.max(1, p.downRetries) - 1) * (p.retryIntervalMs + p.timeoutMs) + 5_000;

const silenced = (st: CheckState, now: number): boolean =>
  st.silence !== null && st.silence.until > now;

const dependentsDown = (w: AlertWorld, parentId: string): string[] =>
  [...(w.children.get(parentId) ?? [])].filter((c) => w.states.get(c)?.last?.status === 'down');

/** Bring what people were told in line with the hard state, unless something says to wait. */
function reconcile(w: AlertWorld, id: string, now: number, o: Work): void {
  const st = w.states.get(id);
  const def = w.defs.get(id);
  if (!st || !def || st.flapping || silenced(st, now)) return;
  o.touched.push(id);
  const want = st.hard === 'down' ? 'problem' : 'ok';
  if (want === st.notified) {
    st.heldSince = null;
    if (want === 'ok') st.suppressedBy = null;
    return;
  }
  if (want === 'ok') {
    st.notified = 'ok';
    st.notifiedAt = now;
    st.ack = null;
    const downSince = st.problem?.since ?? st.hardSince;
    o.alerts.push(mint(w, 'recovery', def, recoveryLine(labelOf(def)), now, { downSince }));
    return;
  }
  const parentId = def.parentId ?? '';
  const pst = w.states.get(parentId);
  const pdef = w.defs.get(parentId);
  if (pst && pdef) {
    if (pst.hard === 'down') {
      st.suppressedBy = parentId;
      st.heldSince = null;
      return;
    }
    // Suppressed behind a parent that is back: the child's last word predates that, so ask
    // the child again before telling anyone it is still down.
    const stale = st.suppressedBy === parentId && (st.last?.at ?? 0) < pst.hardSince;
    if (stale && (st.heldSince === null || now - st.heldSince < holdFor(def))) {
      if (st.heldSince === null) {
        st.heldSince = now;
        o.checkNow.push(id);
      }
      return;
    }
    if (st.suppressedBy === parentId && !o.fromTick) {
      st.heldSince ??= now;
      return;
    }
    const asOf = st.heldSince ?? st.last?.at ?? now;
    const fresh = pst.last !== null && pst.last.at >= asOf;
    const waited = st.heldSince === null ? 0 : now - st.heldSince;
    if ((isPending(pst) || !fresh) && waited < holdFor(pdef)) {
      if (st.heldSince === null) {
        st.heldSince = now;
        o.checkNow.push(parentId);
      }
      return;
    }
  }
  st.heldSince = null;
  st.suppressedBy = null;
  st.notified = 'problem';
  st.notifiedAt = now;
  let line = problemLine(def, st.problem?.message ?? st.last?.message ?? '');
  const behind = dependentsDown(w, id).length;
  if (behind > 0) {
    line += ` (+${behind} dependent checks down)`;
    w.groups.set(id, { toldCount: behind, toldAt: now });
  }
  const list = o.released.get(parentId) ?? [];
  list.push(mint(w, 'problem', def, line, now));
  o.released.set(parentId, list);
}

/** Problems released together behind one parent become one line when there are many. */
function finish(w: AlertWorld, o: Work, now: number, opts: AlertingOptions): Outcome {
  for (const [parentId, list] of o.released) {
    const pdef = w.defs.get(parentId);
    if (!pdef || list.length <= opts.summariseAbove) {
      o.alerts.push(...list);
      continue;
    }
    const members: AlertMember[] = list.map((a) => ({
      checkId: a.checkId,
      accountId: a.accountId,
      label: a.label,
    }));
    const line = `${list.length} checks behind ${labelOf(pdef)} down: ${members.map((m) => m.label).join(', ')}`;
    o.alerts.push(mint(w, 'summary', pdef, line, now, { members }));
  }
  return { alerts: o.alerts, checkNow: [...new Set(o.checkNow)], touched: o.touched };
}

/** Reconcile a parent's children after the parent's state moved. */
function reconcileChildren(w: AlertWorld, parentId: string, now: number, o: Work): void {
  for (const c of w.children.get(parentId) ?? []) {
    const st = w.states.get(c);
    if (st && (st.heldSince !== null || st.suppressedBy === parentId || st.hard === 'down'))
      reconcile(w, c, now, o);
  }
}

/** Feed one probe result through the state machine and decide what to say about it. */
export function applyResult(
  w: AlertWorld,
  id: string,
  r: { status: Status; message: string; at: number },
  opts: AlertingOptions = defaultAlerting,
): Outcome {
  const o = newWork();
  const def = w.defs.get(id);
  const prev = w.states.get(id);
  if (!def || !prev) return finish(w, o, r.at, opts);
  const flap = def.flapDetection === false ? null : defaultFlap;
  const { state, transitions } = step(
    prev,
    { downRetries: def.downRetries, upRetries: def.upRetries, flap },
    r,
  );
  w.states.set(id, state);
  const quiet = silenced(state, r.at);
  for (const t of transitions) {
    if (t === 'flap-start' && !quiet)
      o.alerts.push(
        mint(
          w,
          'flap-start',
          def,
          `${labelOf(def)}: flapping, alerts paused until it settles`,
          r.at,
        ),
      );
    if (t === 'flap-end' && !quiet) {
      o.alerts.push(
        mint(w, 'flap-end', def, `${labelOf(def)}: stopped flapping, now ${state.hard}`, r.at),
      );
      // "now up" already says it recovered: no "back to normal" right after it.
      if (state.hard === 'up' && state.notified === 'problem') {
        state.notified = 'ok';
        state.notifiedAt = r.at;
        state.ack = null;
        state.suppressedBy = null;
      }
    }
  }
  reconcile(w, id, r.at, o);
  if (w.children.has(id)) {
    if (state.hard !== 'down') w.groups.delete(id);
    reconcileChildren(w, id, r.at, o);
  }
  return finish(w, o, r.at, opts);
}

/** Time-driven work: expired silences and holds, reminders, storm re-counts. Call about once a second. */
export function tick(w: AlertWorld, now: number, opts: AlertingOptions = defaultAlerting): Outcome {
  const o = newWork(true);
  for (const [id, st] of w.states) {
    if (st.silence && st.silence.until <= now) {
      st.silence = null;
      reconcile(w, id, now, o);
    } else if (st.heldSince !== null) reconcile(w, id, now, o);
    const def = w.defs.get(id);
    const every = def?.renotifyMs ?? 0;
    if (
      def &&
      every > 0 &&
      st.notified === 'problem' &&
      st.hard === 'down' &&
      !st.ack &&
      !silenced(st, now) &&
      now - st.notifiedAt >= every
    ) {
      st.notifiedAt = now;
      const line = `${labelOf(def)}: still down after ${formatDuration(now - (st.problem?.since ?? st.hardSince))} (${st.problem?.message ?? ''})`;
      o.alerts.push(mint(w, 'reminder', def, line, now));
    }
  }
  for (const [parentId, g] of w.groups) {
    const pdef = w.defs.get(parentId);
    if (!pdef || now - g.toldAt < opts.groupIntervalMs) continue;
    const down = dependentsDown(w, parentId);
    if (down.length <= g.toldCount) continue;
    w.groups.set(parentId, { toldCount: down.length, toldAt: now });
    const members = down
      .map((c) => w.defs.get(c))
      .filter((d) => d !== undefined)
      .map((d) => ({ checkId: d.id, accountId: d.accountId, label: labelOf(d) }));
    o.alerts.push(
      mint(w, 'summary', pdef, `${labelOf(pdef)}: ${down.length} dependent checks down`, now, {
        members,
      }),
    );
  }
  return finish(w, o, now, opts);
}

/** Acknowledge a check's current problem; returns the reply to show the operator. */
export function acknowledge(
  w: AlertWorld,
  id: string,
  by: string,
  comment: string,
  now: number,
): string {
  const st = w.states.get(id);
  const def = w.defs.get(id);
  if (!st || !def) return `no such check: ${id}`;
  if (st.hard !== 'down') return `${labelOf(def)} is not down`;
  st.ack = { by, at: now, comment };
  return `${labelOf(def)}: acknowledged by ${by}`;
}

/** Silence a check until `until` (a maintenance window); ending it early reconciles at once. */
export function setSilence(
  w: AlertWorld,
  id: string,
  silence: CheckState['silence'],
  now: number,
  opts: AlertingOptions = defaultAlerting,
): Outcome {
  const o = newWork();
  const st = w.states.get(id);
  if (!st) return finish(w, o, now, opts);
  st.silence = silence;
  if (!silence || silence.until <= now) {
    st.silence = null;
    reconcile(w, id, now, o);
    if (w.children.has(id)) reconcileChildren(w, id, now, o);
  }
  return finish(w, o, now, opts);
}
