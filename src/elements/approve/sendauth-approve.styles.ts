import { baseStyles } from '../base-styles.js';

/** `<sendauth-approve>` uses the shared look as it is. */
export const approveStyles = [baseStyles];
