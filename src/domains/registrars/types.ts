// The registrar interface: what Bestiary needs from whoever registers a domain for a customer.
// One file per registrar (builtin.ts today; an EPP registrar later).

export interface RegistrationRecord {
  name: string;
  status: string;
  createdAt: string;
  expiresAt: string;
  nameservers: string[];
  /** DS records at the registry ("<tag> <alg> <digest type> <HEX>"). */
  ds: string[];
}

export interface Registrar {
  readonly name: string;
  /** Which of these names could be registered now. */
  availability(names: string[]): Promise<Map<string, boolean>>;
  /** Register a name; throws if it is no longer available. Safe to call again for the same holder. */
  register(request: {
    name: string;
    years: number;
    holder: string;
    nameservers: string[];
  }): Promise<RegistrationRecord>;
  info(name: string): Promise<RegistrationRecord | null>;
  setNameservers(name: string, nameservers: string[]): Promise<void>;
  /** Replace the domain's DS set at the registry (RFC 5910 for EPP; a table for the built-in one). */
  setDs(name: string, ds: string[]): Promise<void>;
}
