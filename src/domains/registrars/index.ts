// The registrar family: one file per registrar, chosen by name in configuration.
export type { Registrar, RegistrationRecord } from './types.js';
export { createBuiltinRegistrar } from './builtin.js';
