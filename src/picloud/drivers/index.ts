// The drivers' door: interfaces, and the typed registry of driver kinds that main.ts picks from config.
import type { DriverDeps, DriverKind, DriverSet } from './types.js';
import { createSimulator, type SimulatorOptions } from './simulator/index.js';

export * from './types.js';
export { createSimulator } from './simulator/index.js';
export type {
  SimulatorDrivers,
  SimulatorControl,
  SimulatorOptions,
  Fault,
  FaultOptions,
  ActiveFault,
  BuiltImage,
} from './simulator/index.js';

/** Options each kind accepts, next to its factory. */
export interface DriverOptions {
  simulator: SimulatorOptions;
}

/** One factory per hardware kind; a real kind (PoE over SNMP + dnsmasq + NFS) adds a line here. */
export const driverKinds = {
  simulator: (deps, options) => createSimulator(deps, options),
} satisfies {
  [K in DriverKind]: (deps: DriverDeps, options: DriverOptions[K]) => Promise<DriverSet>;
};

/** Build the drivers of the configured kind. */
export function createDrivers<K extends DriverKind>(
  kind: K,
  deps: DriverDeps,
  options: DriverOptions[K],
): Promise<DriverSet> {
  return driverKinds[kind](deps, options);
}
