import axe from "axe-core";
import { expect } from "vitest";

/**
 * Automated accessibility checks for UI tests: runs axe-core (https://github.com/dequelabs/axe-core)
 * on rendered UI and fails the test with a readable list of what is wrong.
 *
 *   renderWithBackend(<AppLayout />, { t, as: student, route: "/my-courses" });
 *   expect(await screen.findByRole("listitem", { name: "Web Development" })).toBeInTheDocument();
 *   await expectNoAxeViolations();
 *
 * Every rule of axe's default set runs (WCAG 2.0–2.2 A/AA and axe's best practices such as heading
 * order, landmarks and region names) plus {@link EXTRA_RULES}, except
 * {@link RULES_THAT_NEED_A_BROWSER}. What axe cannot see in jsdom stays unchecked: colours, target
 * sizes (`target-size`, off in axe by default, needs layout too), layout on a small screen, focus
 * order and visible focus, and whether a control's spoken name contains its visible text
 * (`label-content-name-mismatch` only ever answers "needs review" here). Those need a real browser
 * or a person.
 */

/**
 * Rules that cannot give a meaningful answer in jsdom, which neither lays out nor paints a page and
 * does not load Mantine's CSS in tests: they are off in every check.
 */
const RULES_THAT_NEED_A_BROWSER: Readonly<Record<string, string>> = {
  // Needs the painted foreground and background colours of each text; jsdom has neither Mantine's
  // stylesheet nor a renderer, so every result would be a guess.
  "color-contrast": "needs painted colours",
  // Compares a link's colour with the text around it: the same missing colours as color-contrast.
  "link-in-text-block": "needs painted colours",
};

/** Rules axe leaves out by default that we want: they find real problems in our markup. */
const EXTRA_RULES: Readonly<Record<string, string>> = {
  // Deprecated in axe because WCAG 2.2 dropped "parsing", but a repeated id still breaks the
  // label `for` / aria-labelledby / aria-describedby references that point at it.
  "duplicate-id": "repeated ids break label and aria references",
  "duplicate-id-active": "repeated ids on focusable elements",
  // Experimental: data cells of large tables without a header.
  "td-has-header": "cells a screen reader cannot relate to a header",
  "table-fake-caption": "a first row used as a caption",
};

export type AxeCheckOptions = {
  /**
   * Rules to switch off for this one check, each with the reason (name the third-party component
   * whose markup we cannot change). Never for a problem our own markup could fix.
   */
  disabledRules?: Readonly<Record<string, string>>;
};

/** One line per offending element: its HTML (shortened) and what axe says to fix. */
function describeNodes(nodes: axe.NodeResult[]): string {
  return nodes
    .map((node) => {
      const html = node.html.replace(/\s+/g, " ").trim();
      const snippet = html.length > 300 ? `${html.slice(0, 300)}…` : html;
      const fix = (node.failureSummary ?? "").replace(/\s*\n\s*/g, " ").trim();
      return `    ${snippet}\n      at ${node.target.join(" ")}${fix ? `\n      ${fix}` : ""}`;
    })
    .join("\n");
}

/** The violations as a readable report: rule id, impact, help text and link, offending nodes. */
function formatAxeViolations(violations: axe.Result[]): string {
  return violations
    .map(
      (violation) =>
        `- ${violation.id} (${violation.impact ?? "no impact"}): ${violation.help}\n    ${violation.helpUrl}\n${describeNodes(violation.nodes)}`,
    )
    .join("\n");
}

/**
 * Runs axe on `container` (default: the whole document body, where RTL renders and, with Mantine's
 * test environment, where dialogs and menus render too) and fails the test when axe finds any
 * violation, listing each rule with its help text and the offending nodes' HTML.
 * @param options.disabledRules extra rules to skip for this check only, with the reason.
 */
export async function expectNoAxeViolations(container: Element = document.body, options: AxeCheckOptions = {}): Promise<void> {
  const disabled = { ...RULES_THAT_NEED_A_BROWSER, ...options.disabledRules };
  const results = await axe.run(container, {
    rules: {
      ...Object.fromEntries(Object.keys(EXTRA_RULES).map((rule) => [rule, { enabled: true }])),
      ...Object.fromEntries(Object.keys(disabled).map((rule) => [rule, { enabled: false }])),
    },
    resultTypes: ["violations"],
  });
  if (results.violations.length > 0) {
    expect.fail(`axe found ${results.violations.length} accessibility violation(s):\n${formatAxeViolations(results.violations)}`);
  }
}
