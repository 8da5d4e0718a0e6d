// Turning what a customer types into the names they might want: one label across every TLD we
// sell and every free-subdomain parent. Pure; availability comes from the registrar.
import { domainToASCII, domainToUnicode } from 'node:url';
import { ValidationError } from '../core/errors.js';
import type { DomainKind } from './tables.js';

export interface Offer {
  /** The registrable suffix: a TLD we sell ("co.uk") or a free-subdomain parent. */
  suffix: string;
  kind: DomainKind;
  pricePerYear: number;
}

export interface Candidate {
  name: string;
  /** The name as the customer would read it (Unicode for IDNs). */
  displayName: string;
  kind: DomainKind;
  pricePerYear: number;
  /** The customer typed exactly this name. */
  exact: boolean;
}

const labelPattern = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
export const MAX_SEARCH_LENGTH = 253;

/** Why a label cannot be registered, or null if it can (RFC 1035 §2.3.1, RFC 5891 §4.2.3.1). */
export function labelProblem(label: string): string | null {
  if (!labelPattern.test(label)) {
    return 'Use letters, digits and hyphens only, at most 63 characters, not starting or ending with a hyphen.';
  }
  if (label.slice(2, 4) === '--' && !label.startsWith('xn--')) {
    return 'Hyphens in the third and fourth positions are reserved for internationalised names.';
  }
  return null;
}

/**
 * Candidates for a search term. "example" gives example.{every offer}; "example.co.uk" gives
 * that name first and the same label elsewhere after it. Throws ValidationError (whose message
 * quotes the term: the renderer escapes it) when the term cannot be a name.
 */
export function candidatesFor(term: string, offers: readonly Offer[]): Candidate[] {
  const trimmed = term.trim().toLowerCase().replace(/\.$/, '');
  if (!trimmed)
    throw new ValidationError('Type a name to search for, such as “example” or “example.com”.');
  if (trimmed.length > MAX_SEARCH_LENGTH)
    throw new ValidationError('That is longer than any domain name can be.');
  const ascii = domainToASCII(trimmed.replace(/^(https?:\/\/)?(www\.)?/, ''));
  if (!ascii) throw new ValidationError(`“${term}” is not a domain name we can search for.`);
  // Longest suffix first, so "example.co.uk" matches co.uk rather than uk.
  const bySuffix = [...offers].sort((a, b) => b.suffix.length - a.suffix.length);
  const matched = bySuffix.find((o) => ascii.endsWith(`.${o.suffix}`));
  const label = matched ? ascii.slice(0, -(matched.suffix.length + 1)) : ascii;
  if (label.includes('.')) {
    throw new ValidationError(
      `“${term}” is not a name we can register: search for a single name such as “${label.split('.').at(-1)}”.`,
    );
  }
  const problem = labelProblem(label);
  if (problem)
    throw new ValidationError(`“${term}” is not a domain name we can search for. ${problem}`);
  const candidates = offers.map((o) => {
    const name = `${label}.${o.suffix}`;
    return {
      name,
      displayName: domainToUnicode(name),
      kind: o.kind,
      pricePerYear: o.pricePerYear,
      exact: o === matched,
    };
  });
  return candidates.sort((a, b) => Number(b.exact) - Number(a.exact));
}

/** The offer a full name falls under, or undefined when we do not sell it. */
export function offerFor(
  name: string,
  offers: readonly Offer[],
): { label: string; offer: Offer } | undefined {
  const bySuffix = [...offers].sort((a, b) => b.suffix.length - a.suffix.length);
  const offer = bySuffix.find((o) => name.endsWith(`.${o.suffix}`));
  if (!offer) return undefined;
  const label = name.slice(0, -(offer.suffix.length + 1));
  return label && !label.includes('.') && !labelProblem(label) ? { label, offer } : undefined;
}
