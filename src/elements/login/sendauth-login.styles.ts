import { baseStyles } from '../base-styles.js';

/** `<sendauth-login>` uses the shared look as it is. */
export const loginStyles = baseStyles;
