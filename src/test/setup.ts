/**
 * Setup of the `client` vitest project (jsdom): jest-dom matchers, cleanup between tests (rendered
 * UI, notifications, `vi.spyOn` spies and `vi.stubGlobal` stubs; environment variables are restored
 * by the config's `unstubEnvs`; fake timers stay each test file's own business), and the browser
 * APIs Mantine uses that jsdom lacks (matchMedia, ResizeObserver, scrollIntoView).
 */
import "@testing-library/jest-dom/vitest";
import { notifications } from "@mantine/notifications";
import { cleanup, configure } from "@testing-library/react";
import { afterEach, vi } from "vitest";
import { staticMediaQueryList } from "./mediaQuery";

afterEach(() => {
  cleanup();
  // Mantine keeps notifications in a module-level store: start every test without old toasts.
  notifications.clean();
  notifications.cleanQueue();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

// UI tests run the real Convex functions (renderWithBackend); the first call in a test file also
// loads the function modules, which can take longer than RTL's default 1 s on a busy machine.
configure({ asyncUtilTimeout: 5000 });

if (typeof window.matchMedia !== "function") {
  Object.defineProperty(window, "matchMedia", {
    writable: true,
    configurable: true,
    value: (query: string): MediaQueryList => staticMediaQueryList(query, false),
  });
}

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
if (typeof window.ResizeObserver !== "function") {
  window.ResizeObserver = ResizeObserverStub as unknown as typeof ResizeObserver;
}

if (typeof HTMLElement.prototype.scrollIntoView !== "function") {
  HTMLElement.prototype.scrollIntoView = () => {};
}

// Mantine reads computed styles with a pseudo-element argument jsdom does not implement.
const { getComputedStyle } = window;
window.getComputedStyle = (element: Element) => getComputedStyle(element);

// Mantine's autosizing Textarea listens for web-font loads.
if (!("fonts" in document) || document.fonts === undefined) {
  Object.defineProperty(document, "fonts", {
    configurable: true,
    value: { addEventListener: () => {}, removeEventListener: () => {}, ready: Promise.resolve() },
  });
}
