// The one error the wire codec throws: malformed or unencodable data. The server maps it to FORMERR.

/** Malformed wire data or a name/record that cannot be encoded. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}
