import { css } from 'lit';

/**
 * The look both elements share. Every colour and size reads a public
 * `--sendauth-*` custom property first and falls back to a private `--_*`
 * default, whose values switch with `prefers-color-scheme`; so a site can set
 * the public ones on any ancestor and they win.
 *
 * Served as a constructable stylesheet (`static styles`), which a strict CSP
 * (`style-src 'self'`) allows.
 */
export const baseStyles = css`
  :host {
    --_text: #1f2328;
    --_muted: #59636e;
    --_surface: #ffffff;
    --_border: #c9d1d9;
    /* Fields reach 3:1 against the form (WCAG 1.4.11), in light and dark. */
    --_field-border: #818b98;
    --_input-background: #ffffff;
    --_accent: #0a5bc4;
    --_accent-text: #ffffff;
    --_error: #b42318;
    --_error-background: #fef3f2;
    --_focus: #0969da;
    --_gap: var(--sendauth-gap, 0.75rem);

    display: block;
    box-sizing: border-box;
    max-inline-size: var(--sendauth-max-width, 24rem);
    color-scheme: light dark;
    font-family: var(--sendauth-font-family, system-ui, sans-serif);
    font-size: var(--sendauth-font-size, 1rem);
    line-height: 1.4;
    color: var(--sendauth-color-text, var(--_text));
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_text: #e6edf3;
      --_muted: #9da7b3;
      --_surface: #161b22;
      --_border: #3d444d;
      --_field-border: #6e7681;
      --_input-background: #0d1117;
      --_accent: #4493f8;
      --_accent-text: #0d1117;
      --_error: #ff9492;
      --_error-background: #2d1214;
      --_focus: #4493f8;
    }
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  [part~='form'] {
    position: relative;
    display: grid;
    gap: var(--_gap);
    margin: 0;
    padding: var(--sendauth-padding, 1.25rem);
    background: var(--sendauth-color-surface, var(--_surface));
    border: 1px solid var(--sendauth-color-border, var(--_border));
    border-radius: var(--sendauth-radius, 0.75rem);
  }

  .field {
    display: grid;
    gap: 0.375rem;
  }

  [part~='label'] {
    font-size: 0.875em;
    font-weight: 600;
  }

  [part~='input'] {
    inline-size: 100%;
    padding: 0.625em 0.75em;
    font: inherit;
    color: inherit;
    background: var(--sendauth-color-input-background, var(--_input-background));
    border: 1px solid var(--sendauth-color-border, var(--_field-border));
    border-radius: var(--sendauth-control-radius, 0.5rem);
  }

  [part~='input'][aria-invalid='true'] {
    border-color: var(--sendauth-color-error, var(--_error));
  }

  [part~='field-error'] {
    font-size: 0.875em;
    color: var(--sendauth-color-error, var(--_error));
  }

  [part~='button'] {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5em;
    inline-size: 100%;
    padding: 0.7em 1em;
    font: inherit;
    font-weight: 600;
    color: var(--sendauth-color-accent-text, var(--_accent-text));
    background: var(--sendauth-color-accent, var(--_accent));
    /* Invisible until forced colours (Windows High Contrast) drop the background: then it is the button's outline. */
    border: 1px solid transparent;
    border-radius: var(--sendauth-control-radius, 0.5rem);
    cursor: pointer;
  }

  [part~='button']:hover:not([aria-disabled='true']) {
    filter: brightness(1.1);
  }

  [part~='secondary'] {
    color: var(--sendauth-color-accent, var(--_accent));
    background: none;
    border: 1px solid currentColor;
  }

  [part~='waiting'] {
    display: flex;
    justify-content: space-between;
    align-items: baseline;
  }

  [part~='code'] {
    font-size: 2em;
    font-weight: 700;
    letter-spacing: 0.1em;
  }

  [part~='button'][aria-disabled='true'] {
    cursor: progress;
    opacity: 0.75;
  }

  :focus-visible {
    outline: 2px solid var(--sendauth-color-focus, var(--_focus));
    outline-offset: 2px;
  }

  .spinner {
    inline-size: 1em;
    block-size: 1em;
    border: 2px solid currentColor;
    border-inline-end-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }

  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 2.4s;
    }
  }

  [part~='status'] {
    font-size: 0.875em;
    color: var(--sendauth-color-muted, var(--_muted));
  }

  /* Out of the layout while empty (or only for screen readers), yet in the accessibility tree, so the live region announces. */
  [part~='status']:empty,
  .sr {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }

  [part~='error'] {
    padding: 0.625em 0.75em;
    color: var(--sendauth-color-error, var(--_error));
    background: var(--sendauth-color-error-background, var(--_error-background));
    border-inline-start: 3px solid currentColor;
    border-radius: var(--sendauth-control-radius, 0.5rem);
  }
`;
