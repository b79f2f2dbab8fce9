import { isErrorCode } from '../types.js';
import { CeremonyError } from './CeremonyError.js';

/** Checks `name` as well as `instanceof`, so it works across realms and duplicate copies of the bundle. */
export function isCeremonyError(value: unknown): value is CeremonyError {
  return (
    value instanceof CeremonyError ||
    (value instanceof Error && value.name === 'CeremonyError' && isErrorCode((value as { code?: unknown }).code))
  );
}
