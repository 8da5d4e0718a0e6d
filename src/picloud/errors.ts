// The Pi cloud's coded errors. The web adapters map codes to statuses; the Pi API keeps the
// reference's exact texts (apis.md §4), so the messages below are part of the wire format.
import { AppError, ConflictError, NotFoundError } from '../core/errors.js';

/** A server that does not exist, or is another account's: the two are indistinguishable. */
export class ServerNotFound extends NotFoundError {
  constructor() {
    super('Server');
  }
}

/** The per-server calls while the first provisioning runs (reference: 409). */
export class NotProvisioned extends ConflictError {
  constructor() {
    super('Server is not fully provisioned');
  }
}

/** Another action is still running on the server. */
export class ServerBusy extends ConflictError {
  readonly kind: string;
  constructor(kind: string) {
    super(`The server is busy (${kind} in progress); try again when it has finished`);
    this.kind = kind;
  }
}

export class NameInUse extends ConflictError {
  constructor(name: string) {
    super(`The name "${name}" is already in use; choose another`);
  }
}

/** No Pi of the spec asked for is free (reference: 503, hostedpi's fixture text). */
export class OutOfStock extends AppError {
  constructor() {
    super('UNAVAILABLE', 'We do not have any servers of the specified type available');
  }
}

/** The Pi cloud's drivers have not been started (start() not called yet). */
export class PicloudNotStarted extends AppError {
  constructor() {
    super('UNAVAILABLE', 'The Pi cloud is starting; try again in a moment');
  }
}
