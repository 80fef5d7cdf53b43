/**
 * The mocha globals web-test-runner provides in the browser, typed just enough for `tsc` (the project
 * does not depend on @types/mocha).
 */
interface MochaContext {
  timeout(ms: number): void;
  skip(): never;
}
type MochaCallback = (this: MochaContext) => void | Promise<unknown>;

declare function describe(title: string, body: (this: MochaContext) => void): void;
declare function it(title: string, body?: MochaCallback): void;
declare function before(body: MochaCallback): void;
declare function after(body: MochaCallback): void;
declare function beforeEach(body: MochaCallback): void;
declare function afterEach(body: MochaCallback): void;
