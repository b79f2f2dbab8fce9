import { css } from 'lit';
import { baseStyles } from '../base-styles.js';

/** The shared look, plus first and last name side by side where there is room. */
export const registerStyles = [
  baseStyles,
  css`
    .names {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
      gap: var(--_gap);
    }
  `,
];
