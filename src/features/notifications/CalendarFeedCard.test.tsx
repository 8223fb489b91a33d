import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { newTest, seedUser, type TestBackend } from "../../../testing/convex";
import { renderWithBackend } from "../../test/renderWithBackend";
import { CalendarFeedCard, webcalUrl } from "./CalendarFeedCard";

const SITE_URL = "https://happy-otter-123.convex.site";

async function feedStatus(t: TestBackend, url: string) {
  return (await t.fetch(url.slice(SITE_URL.length), { method: "GET" })).status;
}

beforeEach(() => vi.stubEnv("CONVEX_SITE_URL", SITE_URL));
describe("Calendar feed card", () => {
  test("creating shows the private address once; getting a new one retires the old address", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"] });
    const { user } = renderWithBackend(<CalendarFeedCard />, { t, as: student, route: "/profile" });

    await user.click(await screen.findByRole("button", { name: "Create my calendar address" }));
    const address = await screen.findByRole("textbox", { name: "Your private calendar address" });
    const firstUrl = (address as HTMLInputElement).value;
    expect(firstUrl).toMatch(new RegExp(`^${SITE_URL}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
    expect(screen.getByRole("button", { name: "Copy" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Subscribe in your calendar app" })).toHaveAttribute("href", webcalUrl(firstUrl));
    expect(await feedStatus(t, firstUrl)).toBe(200);

    await user.click(screen.getByRole("button", { name: "Get a new address" }));
    const dialog = await screen.findByRole("dialog", { name: "Get a new calendar address?" });
    await user.click(within(dialog).getByRole("button", { name: "Get a new address" }));
    const secondUrl = await vi.waitFor(() => {
      const value = (screen.getByRole("textbox", { name: "Your private calendar address" }) as HTMLInputElement).value;
      if (value === firstUrl) throw new Error("not rotated yet");
      return value;
    });
    expect(await feedStatus(t, firstUrl)).toBe(404);
    expect(await feedStatus(t, secondUrl)).toBe(200);
  });

  test("an existing feed is shown as active without its address, with a way to get a new one", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"] });
    await t.run((ctx) => ctx.db.insert("calendarFeeds", { userId: student.userId, tokenHash: "0".repeat(64), createdAt: Date.now() }));
    renderWithBackend(<CalendarFeedCard />, { t, as: student, route: "/profile" });
    expect(await screen.findByText(/Your private calendar address is active/)).toBeInTheDocument();
    expect(screen.queryByRole("textbox", { name: "Your private calendar address" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Get a new address" })).toBeInTheDocument();
    expect(webcalUrl("https://x.convex.site/calendar/a.ics")).toBe("webcal://x.convex.site/calendar/a.ics");
  });
});
