/**
 * Fixtures of the real-browser journeys. Every page a journey opens (the default `page` and any made
 * with `openPage`) is watched: a console error, an uncaught page error, a request that fails or is
 * answered with 4xx/5xx fails the test. `visit(page, name)` is called on every page a journey reaches;
 * it saves a screenshot (`test-results/e2e/<test>-<project>/screens/NN-name.png`, git-ignored) and
 * runs the page guards:
 * - axe (WCAG 2.x A and AA rules) reports no violation;
 * - no badge or button text is cut off (its label's `scrollWidth` exceeds its `clientWidth`);
 * - on a phone: the page does not scroll sideways, and every action of every table (its buttons
 *   and links) is inside the screen and inside the table's scroll area, i.e. visible without
 *   scrolling sideways.
 */
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Browser, type Locator, type Page, type TestInfo } from "@playwright/test";

export type { Locator, Page };

/** A problem seen on a page, with enough context to find it. */
type Problem = string;

type Watched = { page: Page; problems: Problem[] };

/** Starts collecting console errors, page errors and failed requests of `page`. */
function watch(page: Page, label: string): Watched {
  const watched: Watched = { page, problems: [] };
  page.on("console", (message) => {
    if (message.type() === "error") watched.problems.push(`${label}: console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => watched.problems.push(`${label}: uncaught error: ${error.message}`));
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText ?? "failed";
    // A media element cancels its range requests when it has what it needs; navigation aborts too.
    if (reason === "net::ERR_ABORTED") return;
    watched.problems.push(`${label}: request failed: ${request.method()} ${request.url()} (${reason})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) {
      watched.problems.push(`${label}: ${response.status()} for ${response.request().method()} ${response.url()}`);
    }
  });
  return watched;
}

/** Is this project the phone one? */
export function isPhone(testInfo: TestInfo): boolean {
  return testInfo.project.name === "phone";
}

/** Badge and button labels whose text does not fit (the browser cuts it or shows an ellipsis). */
async function truncatedTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = [
      ".mantine-Badge-label",
      ".mantine-Button-label",
      "button",
      "[role=button]",
      "a.mantine-Button-root",
      ".mantine-SegmentedControl-label",
    ].join(",");
    const found: string[] = [];
    for (const element of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      if (element.offsetParent === null || element.clientWidth === 0) continue;
      if (element.scrollWidth > element.clientWidth + 1) {
        const text = (element.textContent ?? "").trim().replace(/\s+/g, " ");
        if (text !== "") found.push(`"${text}" (${element.scrollWidth}px of text in ${element.clientWidth}px)`);
      }
    }
    return Array.from(new Set(found));
  });
}

/** How far the page scrolls sideways (px), 0 when it fits the screen. */
async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth);
}

/** Table actions (buttons, links) that are outside the screen or outside the table's scroll area. */
async function hiddenTableActions(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const table of Array.from(document.querySelectorAll("table"))) {
      // The nearest ancestor that clips the table sideways (Mantine's Table.ScrollContainer).
      let clip: HTMLElement | null = table.parentElement;
      while (clip !== null && !["auto", "scroll", "hidden"].includes(getComputedStyle(clip).overflowX)) clip = clip.parentElement;
      const clipRect = clip?.getBoundingClientRect();
      const right = Math.min(window.innerWidth, clipRect?.right ?? window.innerWidth);
      const left = Math.max(0, clipRect?.left ?? 0);
      for (const action of Array.from(table.querySelectorAll<HTMLElement>("tbody button, tbody a, tbody [role=button]"))) {
        const rect = action.getBoundingClientRect();
        if (rect.width === 0) continue;
        if (rect.right > right + 1 || rect.left < left - 1) {
          const caption = table.getAttribute("aria-label") ?? table.querySelector("caption")?.textContent ?? "table";
          found.push(`"${(action.getAttribute("aria-label") ?? action.textContent ?? "").trim()}" in ${caption}`);
        }
      }
    }
    return Array.from(new Set(found));
  });
}

type Fixtures = {
  /** Saves a screenshot of `page` and runs the page guards (see the file comment). */
  visit: (page: Page, name: string) => Promise<void>;
  /** A page in a new browser context (a second person), with the same size and watching as `page`. */
  openPage: (label: string) => Promise<Page>;
};

export const test = base.extend<Fixtures & { watched: Watched[] }>({
  watched: async ({ page }, use, testInfo) => {
    const watched = [watch(page, "page")];
    await use(watched);
    const problems = watched.flatMap((entry) => entry.problems);
    expect(problems, `console errors or failed requests in ${testInfo.title}`).toEqual([]);
  },
  // Playwright requires a destructuring pattern for a fixture that uses no other fixture.
  // eslint-disable-next-line no-empty-pattern
  visit: async ({}, use, testInfo) => {
    let count = 0;
    const guardProblems: string[] = [];
    await use(async (page, name) => {
      count += 1;
      // Let live queries and fonts settle before looking.
      await page.waitForLoadState("networkidle").catch(() => {});
      await expect(page.locator(".mantine-Loader-root:visible, [aria-busy=true]:visible")).toHaveCount(0, { timeout: 15_000 }).catch(() => {});
      const file = testInfo.outputPath("screens", `${String(count).padStart(2, "0")}-${slug(name)}.png`);
      await page.screenshot({ path: file, fullPage: true });
      const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      for (const violation of axe.violations) {
        const nodes = violation.nodes.map((node) => node.target.join(" ")).slice(0, 5).join(", ");
        // axe's summary of the first node says what is wrong (for contrast: both colours and the ratio).
        const summary = (violation.nodes[0]?.failureSummary ?? "").replace(/\s+/g, " ").trim();
        guardProblems.push(`${name}: axe ${violation.id} (${violation.help}): ${nodes}${summary ? ` — ${summary}` : ""}`);
      }
      for (const text of await truncatedTexts(page)) guardProblems.push(`${name}: text cut off: ${text}`);
      if (isPhone(testInfo)) {
        const overflow = await sidewaysOverflow(page);
        if (overflow > 1) guardProblems.push(`${name}: the page scrolls ${overflow}px sideways on a phone`);
        for (const action of await hiddenTableActions(page)) guardProblems.push(`${name}: table action out of view on a phone: ${action}`);
      }
    });
    expect(guardProblems, `page guards in ${testInfo.title}`).toEqual([]);
  },
  openPage: async ({ browser, watched }, use, testInfo) => {
    const contexts: Awaited<ReturnType<Browser["newContext"]>>[] = [];
    await use(async (label) => {
      const { viewport, isMobile, hasTouch, userAgent, deviceScaleFactor, timezoneId, locale, baseURL } = testInfo.project.use;
      const context = await browser.newContext({ viewport, isMobile, hasTouch, userAgent, deviceScaleFactor, timezoneId, locale, baseURL });
      contexts.push(context);
      const page = await context.newPage();
      watched.push(watch(page, label));
      return page;
    });
    for (const context of contexts) await context.close();
  },
});

export { expect };

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
}

/**
 * A `DataTable` (`src/lib/components/DataTable.tsx`) by its label: a table on wide screens, a list of
 * one card per row on a phone.
 */
export function dataTable(page: Page, label: string): Locator {
  return page.getByRole("table", { name: label, exact: true }).or(page.getByRole("list", { name: label, exact: true }));
}

/** The rows of a `DataTable`: the table's body rows, or the cards of its phone layout. */
export function dataRows(table: Locator): Locator {
  return table.locator(":scope > tbody > tr, :scope > li");
}

/** The value in the column headed `header` of a `DataTable` row: its cell, or on a phone the card's value under that label. */
export function dataCell(row: Locator, header: string): Locator {
  return row.locator(
    `xpath=./td[count(ancestor::table[1]/thead//th[normalize-space()="${header}"]/preceding-sibling::th) + 1]` +
      ` | .//dt[normalize-space()="${header}"]/following-sibling::dd[1]`,
  );
}

/**
 * Opens the app at `path` and signs in as the seeded persona called `name` through the demo persona
 * picker (shown in place of any page until someone signs in), which then shows the page at `path`,
 * without a second page load. Waits until the app shell shows the signed-in persona in the demo banner.
 */
export async function signIn(page: Page, name: string, path = "/"): Promise<void> {
  await page.goto(path);
  await page.getByRole("button", { name: new RegExp(`^Sign in as ${name}\\b`) }).click();
  await expect(page.getByRole("complementary", { name: "Demo sign-in" })).toContainText(`Signed in as ${name}`);
  await expect(page.getByRole("main")).toBeVisible();
}
