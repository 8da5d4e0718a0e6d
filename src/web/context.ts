// What middleware leaves on the request context for the handlers after it.
import type { ApiPrincipal, Session } from '../accounts/index.js';

export interface WebVariables {
  requestId: string;
  /** The client's address after trusted-proxy resolution. */
  clientIp: string;
  /** The logged-in session, when there is one (panel). */
  session: Session | undefined;
  /** The token every form on this page must carry (panel). */
  csrfToken: string;
  /** A one-line message left by the previous request (shown once). */
  flash: string | null;
  /** The parsed body of a state-changing panel request, after its CSRF check passed. */
  form: FormData;
  /** The API key the request acts as (API listener). */
  principal: ApiPrincipal | undefined;
}

export interface WebEnv {
  Variables: WebVariables;
  Bindings: { incoming?: { socket?: { remoteAddress?: string; encrypted?: boolean } } };
}
