// Pushed metrics (a Pi's temperature, load): the latest value against a threshold.
import type { Check } from './check.js';
import { formatDuration } from '../format.js';

export const metric: Check<'metric'> = {
  type: 'metric',
  hostOf: () => '',
  async run(p, ctx) {
    const sample = ctx.metric(ctx.checkId);
    if (!sample) return { status: 'unknown', message: `no ${p.metric} reading yet` };
    const age = ctx.now() - sample.at;
    const staleMs = p.staleMs ?? 3 * ctx.intervalMs;
    if (age > staleMs)
      return { status: 'down', message: `no ${p.metric} reading for ${formatDuration(age)}` };
    const value = sample.value;
    const shown = `${p.metric} ${value}${p.unit ? ` ${p.unit}` : ''}`;
    if (p.above !== undefined && value > p.above)
      return { status: 'down', value, message: `${shown} above ${p.above}` };
    if (p.below !== undefined && value < p.below)
      return { status: 'down', value, message: `${shown} below ${p.below}` };
    return { status: 'up', value, message: shown };
  },
};
