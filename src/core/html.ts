// The one door to raw HTML. Everything else the renderer escapes.
//
// Reviewed sources of trusted markup (keep this list short, and review every addition):
//   - staticHtml: a template literal with no interpolations, so no data can reach it.
//   - icon: a fixed table of inline SVG icons written by us.
// The lint rules in eslint.config.js forbid raw(), dangerouslySetInnerHTML and innerHTML
// everywhere but here.
import { raw } from 'hono/html';

declare const trusted: unique symbol;

/** Markup that the renderer emits verbatim. Only the functions in this file make one. */
export type Html = ReturnType<typeof raw> & { readonly [trusted]: true };

/** Trusted markup from a literal: interpolations are a type error, so no data can get in. */
export function staticHtml(strings: TemplateStringsArray, ...none: never[]): Html {
  if (none.length > 0 || strings.length !== 1)
    throw new Error('staticHtml takes no interpolations');
  return raw(strings[0]) as Html;
}

const icons = {
  check:
    '<svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16"><path fill="currentColor" d="M6 11.2 2.8 8l-1.1 1.1L6 13.4l8.3-8.3-1.1-1.1z"/></svg>',
  cross:
    '<svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16"><path fill="currentColor" d="M12.7 4.4 11.6 3.3 8 6.9 4.4 3.3 3.3 4.4 6.9 8l-3.6 3.6 1.1 1.1L8 9.1l3.6 3.6 1.1-1.1L9.1 8z"/></svg>',
  key: '<svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16"><path fill="currentColor" d="M10.5 1a4.5 4.5 0 0 0-4.3 5.8L1 12v3h3v-2h2v-2h2l1.2-1.2A4.5 4.5 0 1 0 10.5 1zm1 4a1.5 1.5 0 1 1 0-3 1.5 1.5 0 0 1 0 3z"/></svg>',
} as const;

export type IconName = keyof typeof icons;

/** One of our own inline SVG icons. */
export function icon(name: IconName): Html {
  return raw(icons[name]) as Html;
}
