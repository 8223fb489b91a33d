/**
 * A `MediaQueryList` for jsdom, which has no `matchMedia`: it answers `matches` for `query` and
 * never fires change events.
 */
export function staticMediaQueryList(query: string, matches: boolean): MediaQueryList {
  return {
    matches,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  };
}
