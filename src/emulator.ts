/** Package entry `@sendauth/elements/emulator`: a local SendAuth. */
export { startEmulator, EMULATOR_DEFAULTS } from './emulator/index.js';
export type { EmulatorOptions, RunningEmulator } from './emulator/index.js';
export type { OutboxEntry } from './emulator/outbox.js';
export type { NotificationChannel } from './emulator/model.js';
