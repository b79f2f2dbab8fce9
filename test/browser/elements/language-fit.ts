/**
 * What the language tests share: every shipped table registered under its
 * tag (`../support/languages.ts`), and whether an element's text fits it:
 * nothing scrolls sideways, nothing is cut off, no text reaches outside the
 * form.
 */
import { registerLanguage } from '../../../src/index.js';
import { LANGUAGES } from '../support/languages.js';

export { LANGUAGES };

export function registerEveryLanguage(): void {
  for (const [tag, table] of LANGUAGES) if (tag !== 'en') registerLanguage(tag, table);
}

/** A part's name for messages: `button`, `field-error`, … */
function describe(element: Element): string {
  return element.getAttribute('part') ?? element.localName;
}

/** Whether `element` is hidden on purpose to all but screen readers (clipped to 1 px). */
function screenReaderOnly(element: Element): boolean {
  for (let node: Element | null = element; node; node = node.parentElement) {
    if (getComputedStyle(node).clipPath !== 'none') return true;
  }
  return false;
}

/**
 * What does not fit in `host` as it is now: a part (or the form) wider or taller inside than its box
 * (`scrollWidth > clientWidth`: text scrolls or is cut off), the host wider than `width`, or a line
 * of text outside the form. Fields are left out of the first check: a long value scrolls inside its
 * field by design.
 */
export function overflowProblems(host: HTMLElement, width: number): string[] {
  const problems: string[] = [];
  const root = host.shadowRoot!;
  const form = root.querySelector<HTMLElement>('[part~="form"]')!;
  const hostWidth = host.getBoundingClientRect().width;
  if (hostWidth > width + 0.5) problems.push(`the element is ${hostWidth}px wide`);
  for (const box of root.querySelectorAll<HTMLElement>('[part]')) {
    if (box.localName === 'input' || screenReaderOnly(box)) continue;
    const text = JSON.stringify(box.textContent?.trim().slice(0, 60));
    if (box.scrollWidth > box.clientWidth + 1) problems.push(`${describe(box)} scrolls sideways (${box.scrollWidth} > ${box.clientWidth}px): ${text}`);
    if (box.scrollHeight > box.clientHeight + 1) problems.push(`${describe(box)} cuts text off (${box.scrollHeight} > ${box.clientHeight}px): ${text}`);
  }
  const bounds = form.getBoundingClientRect();
  const walker = document.createTreeWalker(form, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent?.trim() || screenReaderOnly(node.parentElement!)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const line of range.getClientRects()) {
      if (line.width === 0) continue;
      if (line.left < bounds.left - 0.5 || line.right > bounds.right + 0.5 || line.top < bounds.top - 0.5 || line.bottom > bounds.bottom + 0.5) {
        problems.push(`text outside the form (${Math.round(line.left)}–${Math.round(line.right)} of ${Math.round(bounds.left)}–${Math.round(bounds.right)}px): ${JSON.stringify(node.textContent.trim().slice(0, 60))}`);
      }
    }
  }
  return problems;
}
