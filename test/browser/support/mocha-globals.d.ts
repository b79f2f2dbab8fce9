/**
 * The Mocha globals web-test-runner provides in the browser, typed for
 * `tsc --noEmit` (no @types/mocha is installed: it would pull in a second
 * copy of Mocha's types for no runtime gain). Only what the tests use.
 */
declare namespace Mocha {
  interface Context {
    /** Sets this test's or hook's timeout in ms. */
    timeout(ms: number): this;
    /** Skips the current test (from `before`: the whole suite). Use `skipUnless` (engine.ts), which records why. */
    skip(): never;
    /** What is running: the test itself, or the hook. */
    test?: Runnable;
    /** In a hook: the test it runs for (in `before`, the suite's first). */
    currentTest?: Runnable;
  }
  interface Runnable {
    title: string;
    type: 'test' | 'hook';
    parent?: Suite;
    /** The suite titles from the outermost, then this one's. */
    titlePath(): string[];
  }
  interface Suite {
    title: string;
    tests: Runnable[];
    suites: Suite[];
  }
  type Done = (error?: unknown) => void;
  /** A test or hook: sync, async, or taking `done` (Mocha tells them apart by arity at run time). */
  type Callback = (this: Context, done: Done) => void | PromiseLike<unknown>;
  interface SuiteFunction {
    (title: string, fn: (this: Context) => void): void;
    only(title: string, fn: (this: Context) => void): void;
    skip(title: string, fn: (this: Context) => void): void;
  }
  interface TestFunction {
    (title: string, fn?: Callback): void;
    only(title: string, fn?: Callback): void;
    skip(title: string, fn?: Callback): void;
  }
  type HookFunction = (fn: Callback) => void;
}

declare const describe: Mocha.SuiteFunction;
declare const it: Mocha.TestFunction;
declare const before: Mocha.HookFunction;
declare const after: Mocha.HookFunction;
declare const beforeEach: Mocha.HookFunction;
declare const afterEach: Mocha.HookFunction;
