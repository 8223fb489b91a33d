import { afterEach, beforeEach, vi } from "vitest";

/**
 * Freezes `Date` at `at` (epoch milliseconds) for every test of the calling file (or `describe`)
 * and gives the real clock back after each. Only `Date` is faked: fake timers stall Mantine's and
 * Testing Library's polling.
 */
export function freezeClockAt(at: number): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(at);
  });
  afterEach(() => vi.useRealTimers());
}
