/**
 * `@sendauth/elements/vue`: types only (the module is empty at run time).
 * Import it once (`import '@sendauth/elements/vue';`) and Vue 3's template
 * type-checking (`vue-tsc`, Volar) knows every SendAuth element through
 * `GlobalComponents`: the standard HTML attributes, the element's own
 * attributes as props (`user-id` or `userId`; `:timeout="5000"` takes a
 * number), and its events (`@sendauth-success`, `onSendauthSuccess`) typed
 * with their `detail`. An unknown event or attribute is an error where the
 * project asks Vue for that (`vueCompilerOptions.strictTemplates`).
 *
 * Vue's compiler must still be told that `sendauth-*` tags are custom
 * elements (`compilerOptions.isCustomElement`); this typing follows Vue's
 * guide for custom elements not built with Vue
 * (https://vuejs.org/guide/extras/web-components#web-components-and-typescript).
 * Needs `vue` 3.5 or later. The tags come from `SendAuthElementTypes`
 * (`src/elements/element-types.ts`).
 */
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { SendAuthElementTypes } from './elements/element-types.js';

/** `user-id` → `userId`: Vue matches template attributes to props camel-cased. */
type CamelCase<Name extends string> = Name extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : Name;

/** An element's own attributes as Vue props. */
export type SendAuthVueProps<Attributes> = { [Name in keyof Attributes as CamelCase<Name & string>]: Attributes[Name] };

/** `onSendauthSuccess`-style listener props, the other way to write `@sendauth-success`. */
export type SendAuthVueListenerProps<Events> = {
  [Type in keyof Events as `on${Capitalize<CamelCase<Type & string>>}`]?: (event: Events[Type]) => void;
};

/** Events (type → event) in the shape Vue reads `$emit` from. */
export type SendAuthVueEmit<Events> = EmitFn<{ [Type in keyof Events]: (event: Events[Type]) => void }>;

/** What Vue's template checker reads of a custom element: `$props` and `$emit`. */
export type SendAuthVueElement<Tag extends keyof SendAuthElementTypes> = new () => SendAuthElementTypes[Tag]['element'] & {
  /** @deprecated Template type-checking only; not on the element at run time. */
  $props: HTMLAttributes &
    SendAuthVueProps<SendAuthElementTypes[Tag]['attributes']> &
    SendAuthVueListenerProps<SendAuthElementTypes[Tag]['events']> &
    PublicProps;
  /** @deprecated Template type-checking only; not on the element at run time. */
  $emit: SendAuthVueEmit<SendAuthElementTypes[Tag]['events']>;
};

/** Each SendAuth tag as a Vue global component type. */
export type SendAuthVueComponents = { [Tag in keyof SendAuthElementTypes]: SendAuthVueElement<Tag> };

declare module 'vue' {
  interface GlobalComponents extends SendAuthVueComponents {}
}
