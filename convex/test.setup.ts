/**
 * Shared setup of the Convex test project (edge-runtime). convex-test needs the map of function
 * modules; `testing/convex.ts` passes it on. Files with two dots (tests, this file) are not Convex
 * modules, so the glob skips them as the Convex bundler does.
 */
export const modules = import.meta.glob(["./**/*.{ts,js}", "!./**/*.*.{ts,js}"]);
