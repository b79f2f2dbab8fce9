/**
 * Types for the tags in TSX (`JSX.IntrinsicElements`), without depending on
 * React's types: attributes as a site writes them, plus React 19's
 * `on<event-name>` listeners for custom elements.
 */
import type { SendAuthEventMap } from './events.js';

type EventListeners = {
  [K in keyof SendAuthEventMap as `on${K}`]?: (event: SendAuthEventMap[K]) => void;
};

interface SendAuthCommonAttributes extends EventListeners {
  endpoint?: string;
  lang?: string;
  timeout?: number | string;
  id?: string;
  class?: string;
  className?: string;
  slot?: string;
  hidden?: boolean;
  key?: string | number;
  /** Whatever the JSX runtime passes (React ref object or callback). */
  ref?: unknown;
  children?: unknown;
}

export interface SendAuthLoginAttributes extends SendAuthCommonAttributes {
  username?: string;
  'user-id'?: string;
}

export interface SendAuthRegisterAttributes extends SendAuthCommonAttributes {
  signup?: boolean;
}

declare global {
  namespace JSX {
    interface IntrinsicElements {
      'sendauth-login': SendAuthLoginAttributes;
      'sendauth-register': SendAuthRegisterAttributes;
    }
  }
}
