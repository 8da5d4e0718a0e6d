// Status in words, for `!status` in the channel and for the CLI.
import type { AlertWorld } from './alerts.js';
import { formatDuration, labelOf } from './format.js';

/** How many checks are in each state, and the worst ones by name. */
function overview(w: AlertWorld, now: number): string {
  let up = 0;
  let unknown = 0;
  let acked = 0;
  let silenced = 0;
  const down: Array<{ label: string; since: number }> = [];
  for (const [id, st] of w.states) {
    const def = w.defs.get(id);
    if (!def) continue;
    if (st.silence && st.silence.until > now) silenced++;
    if (st.hard === 'up') up++;
    else if (st.hard === 'unknown') unknown++;
    else {
      if (st.ack) acked++;
      if (!st.suppressedBy)
        down.push({ label: labelOf(def), since: st.problem?.since ?? st.hardSince });
    }
  }
  const total = up + unknown + down.length;
  const hidden = [...w.states.values()].filter((s) => s.hard === 'down' && s.suppressedBy).length;
  const head = `${w.defs.size} checks: ${up} up, ${total - up - unknown + hidden} down (${acked} acknowledged, ${hidden} behind a down parent), ${unknown} unknown, ${silenced} silenced`;
  if (down.length === 0) return head;
  down.sort((a, b) => a.since - b.since);
  return `${head}. Down: ${down.map((d) => `${d.label} ${formatDuration(now - d.since)}`).join(', ')}`;
}

/** One line for `!status`, or the detail of one check. */
export function statusLines(w: AlertWorld, id: string | null, now: number): string[] {
  if (id === null) return [overview(w, now)];
  const def = w.defs.get(id);
  const st = w.states.get(id);
  if (!def || !st) return [`no such check: ${id}`];
  const parts = [`${labelOf(def)}: ${st.hard} for ${formatDuration(now - st.hardSince)}`];
  if (st.last) parts.push(`last: ${st.last.message} (${formatDuration(now - st.last.at)} ago)`);
  if (st.streak > 0)
    parts.push(
      `confirming a change, ${st.streak} of ${st.hard === 'up' ? def.downRetries : def.upRetries}`,
    );
  if (st.flapping) parts.push('flapping');
  if (st.ack)
    parts.push(`acknowledged by ${st.ack.by}${st.ack.comment ? ` (${st.ack.comment})` : ''}`);
  if (st.silence && st.silence.until > now)
    parts.push(
      `silenced by ${st.silence.by} for ${formatDuration(st.silence.until - now)}${st.silence.reason ? ` (${st.silence.reason})` : ''}`,
    );
  if (st.suppressedBy) parts.push(`behind ${st.suppressedBy}, which is down`);
  return [parts.join('; ')];
}
