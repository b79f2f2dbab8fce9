/**
 * `@sendauth/elements/react`: types only (the module is empty at run time).
 * Import it once, anywhere in the project (`import '@sendauth/elements/react';`
 * or `import type {} from '@sendauth/elements/react';`), and React 19's JSX
 * knows every SendAuth element (`React.JSX.IntrinsicElements`): every standard
 * HTML attribute React takes (`className`, `style`, `onClick`, `ref`, …), the
 * element's own attributes, and an `on<event-name>` listener per event, typed
 * with its `detail` (`onsendauth-success={(event) => event.detail.userId}`).
 * (A misspelt `onsendauth-…` name is not caught: TypeScript checks no JSX
 * attribute whose name has a hyphen against the declared ones.)
 *
 * React 19 sets a prop as a property where the element has one (`username`,
 * `signup`, `timeout`), else as an attribute (`user-id`), and adds a listener
 * for `on<event-name>` as written
 * (https://react.dev/reference/react-dom/components#custom-html-elements).
 * Needs `@types/react` 19 in the project. The tags come from
 * `SendAuthElementTypes` (`src/elements/element-types.ts`).
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { SendAuthElementTypes } from './elements/element-types.js';

/** React 19's listener props for custom events: `on` + the event name, exactly as fired. */
export type SendAuthReactListeners<Events> = {
  [Type in keyof Events & string as `on${Type}`]?: (event: Events[Type]) => void;
};

/** The props of each SendAuth tag in React 19's JSX. */
export type SendAuthReactElements = {
  [Tag in keyof SendAuthElementTypes]: DetailedHTMLProps<
    HTMLAttributes<SendAuthElementTypes[Tag]['element']>,
    SendAuthElementTypes[Tag]['element']
  > &
    SendAuthElementTypes[Tag]['attributes'] &
    SendAuthReactListeners<SendAuthElementTypes[Tag]['events']> & {
      /** The element's part names, for `::part()` from an outer shadow root. */
      part?: string;
    };
};

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements extends SendAuthReactElements {}
  }
}
