/**
 * `@sendauth/elements/svelte`: types only (the module is empty at run time).
 * Import it once (`import '@sendauth/elements/svelte';`) and Svelte 5's
 * type-checking (`svelte-check`, the editor) knows every SendAuth element
 * through `SvelteHTMLElements`: the standard HTML attributes, the element's
 * own attributes (`timeout={5000}` takes a number, `signup` a boolean), and
 * its events as `onsendauth-success={…}` (Svelte 5) or
 * `on:sendauth-success={…}` (the legacy directive), typed with their
 * `detail`. An unknown attribute or event is an error.
 *
 * Follows Svelte's guide to typing custom elements
 * (https://svelte.dev/docs/svelte/typescript#Enhancing-built-in-DOM-types).
 * Needs `svelte` 5. The tags come from `SendAuthElementTypes`
 * (`src/elements/element-types.ts`).
 */
import type { HTMLAttributes } from 'svelte/elements';
import type { SendAuthElementTypes } from './elements/element-types.js';

/** A listener as Svelte calls it: the event, with `currentTarget` the element. */
type SvelteListener<E, Target> = (event: E & { currentTarget: EventTarget & Target }) => unknown;

/** Event attributes (`on<type>`, Svelte 5) and directives (`on:<type>`, legacy) for each event. */
export type SendAuthSvelteListeners<Events, Target> = {
  [Type in keyof Events & string as `on${Type}` | `on:${Type}`]?: SvelteListener<Events[Type], Target> | null;
};

/** Each SendAuth tag's attributes in Svelte's markup. */
export type SendAuthSvelteElements = {
  [Tag in keyof SendAuthElementTypes]: HTMLAttributes<SendAuthElementTypes[Tag]['element']> &
    SendAuthElementTypes[Tag]['attributes'] &
    SendAuthSvelteListeners<SendAuthElementTypes[Tag]['events'], SendAuthElementTypes[Tag]['element']>;
};

declare module 'svelte/elements' {
  interface SvelteHTMLElements extends SendAuthSvelteElements {}
}
