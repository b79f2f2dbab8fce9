/**
 * Registers `element` as `tag`. When the tag is already taken (two copies of
 * the package on one page, or a define module loaded twice) it keeps the
 * first definition: silently if it is this same class, with a warning if it
 * is another copy. Does nothing where there is no registry (server-side
 * rendering without a DOM shim).
 */
export function defineElement(
  tag: string,
  element: CustomElementConstructor,
  registry: CustomElementRegistry | undefined = globalThis.customElements,
): void {
  if (!registry) return;
  const existing = registry.get(tag);
  if (!existing) {
    // A subclass per tag, so the same class can also be defined under a second tag.
    registry.define(tag, class extends element {});
    return;
  }
  if (existing !== element && !(existing.prototype instanceof element)) {
    console.warn(`<${tag}> is already defined by another copy of @sendauth/elements; keeping that one.`);
  }
}
