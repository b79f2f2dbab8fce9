/**
 * The one description of the elements that the framework typings are made
 * from (`@sendauth/elements/react`, `/vue`, `/svelte`): each tag's class, the
 * attributes a site writes on it, and the events it fires. Types only.
 *
 * An attribute is declared once, here, with the type of the property it sets
 * (a framework passes values as properties where the element has one:
 * `timeout` takes a number, `signup` a boolean). A test checks these names
 * against each class's `observedAttributes`.
 *
 * Adding an element to every framework's typings is one line in
 * {@link SendAuthElementTypes} (plus its attributes interface, if it has
 * attributes of its own).
 */
import type { SendAuthApprove } from './approve/sendauth-approve.js';
import type { SendAuthEventMap } from './events.js';
import type { SendAuthLogin } from './login/sendauth-login.js';
import type { SendAuthRegister } from './register/sendauth-register.js';
import type { SendAuthCeremonyElement } from './sendauth-ceremony-element.js';

/** The attributes every SendAuth element takes. */
export interface SendAuthCeremonyAttributes {
  /** Where the site mounted the SendAuth proxy. @default '/sendauth' */
  endpoint?: SendAuthCeremonyElement['endpoint'];
  /**
   * Language of the text: `en`, or one added with `registerLanguage` (eleven more ship ready to register: `@sendauth/elements/locales/*`);
   * else the nearest ancestor's `lang`, else English.
   */
  lang?: SendAuthCeremonyElement['lang'];
  /** Client-side deadline of a ceremony, in milliseconds. @default 120000 */
  timeout?: SendAuthCeremonyElement['timeout'];
}

/** `<sendauth-login>`'s attributes. */
export interface SendAuthLoginAttributes extends SendAuthCeremonyAttributes {
  /** Prefills the username (email) field. */
  username?: SendAuthLogin['username'];
  /** The SendAuth user id to sign in; hides the username field. */
  'user-id'?: SendAuthLogin['userId'];
}

/** `<sendauth-register>`'s attributes. */
export interface SendAuthRegisterAttributes extends SendAuthCeremonyAttributes {
  /** Signs a new user up (asks first name, last name and email) instead of enrolling the signed-in one. */
  signup?: SendAuthRegister['signup'];
}

/** `<sendauth-approve>`'s attributes. */
export interface SendAuthApproveAttributes extends SendAuthCeremonyAttributes {
  /** What the user approves on their device (1–512 characters); the site's server confirms exactly this text. */
  message?: SendAuthApprove['message'];
}

/** One element in {@link SendAuthElementTypes}: its class, its own attributes, the events it fires (tag → event type). */
export interface SendAuthElementType<
  Element extends HTMLElement,
  Attributes extends object,
  Events extends { [Type in keyof Events]: Event } = SendAuthEventMap,
> {
  element: Element;
  attributes: Attributes;
  events: Events;
}

/** Tag → element. Every framework typing maps over this; a new element is one line here. */
export interface SendAuthElementTypes {
  'sendauth-login': SendAuthElementType<SendAuthLogin, SendAuthLoginAttributes>;
  'sendauth-register': SendAuthElementType<SendAuthRegister, SendAuthRegisterAttributes>;
  'sendauth-approve': SendAuthElementType<SendAuthApprove, SendAuthApproveAttributes>;
}
