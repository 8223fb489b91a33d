import { screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { api } from "../../../convex/_generated/api";
import { newTest, seedCourse, seedEnrollment, seedUser } from "../../../testing/convex";
import { renderForNewUser, renderWithBackend } from "../../test/renderWithBackend";
import { StudentSessionsPage } from "./StudentSessionsPage";
import { clickWhenEnabled } from "../../test/interactions";

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

// Join is a real link with target="_blank"; jsdom cannot open tabs, so keep it from trying.
const stopNavigation = (event: MouseEvent) => event.preventDefault();
beforeEach(() => document.addEventListener("click", stopNavigation));
afterEach(() => document.removeEventListener("click", stopNavigation));

describe("Live sessions (student)", () => {
  test("shows the next session with Join, the others, past ones with recordings; Join records attendance once", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const mentor = await seedUser(t, { roles: ["mentor"], name: "Maya Mentor" });
    const student = await seedUser(t, { roles: ["student"], name: "Amira Student", timeZone: "Asia/Dubai" });
    const web = await seedCourse(t, "Web Development", ["Batch 12", "Batch 13"]);
    await seedEnrollment(t, { studentId: student.userId, courseId: web.courseId, batchId: web.batchIds["Batch 12"], enrolledAt: Date.now() - 30 * DAY });
    const now = Date.now();
    const schedule = (title: string, startsAt: number, batch: "Batch 12" | "Batch 13", meetingUrl = "https://zoom.example.com/j/1") =>
      admin.as.mutation(api.successSessions.create, {
        title,
        courseId: web.courseId,
        batchId: web.batchIds[batch],
        mentorId: mentor.userId,
        startsAt,
        timeZone: "Europe/Berlin",
        meetingUrl,
        zoomPasscode: "hub-2024",
      });
    const { sessionIds: [soonId] } = await schedule("Sprint review", now + 10 * MINUTE, "Batch 12", "https://zoom.example.com/j/sprint");
    await schedule("Career Q&A", now + 3 * DAY, "Batch 12");
    await schedule("Batch 13 kick-off", now + DAY, "Batch 13");
    await t.run((ctx) =>
      ctx.db.insert("successSessions", {
        title: "Retrospective",
        description: "",
        courseId: web.courseId,
        batchId: web.batchIds["Batch 12"],
        mentorId: mentor.userId,
        startsAt: now - 7 * DAY,
        endsAt: now - 7 * DAY + 60 * MINUTE,
        timeZone: "Europe/Berlin",
        status: "completed",
        meetingUrl: "https://zoom.example.com/j/old",
        recordingUrl: "https://video.example.com/retro",
        sequence: 0,
        createdBy: admin.userId,
      }),
    );

    const { user } = renderWithBackend(<StudentSessionsPage />, { t, as: student, route: "/sessions" });

    const next = await screen.findByRole("region", { name: "Next session" });
    expect(await within(next).findByText("Sprint review")).toBeInTheDocument();
    expect(within(next).getByText("Passcode hub-2024", { exact: false })).toBeInTheDocument();
    const join = within(next).getByRole("link", { name: "Join Sprint review (opens in a new tab)" });
    expect(join).toHaveAttribute("href", "https://zoom.example.com/j/sprint");
    expect(join).toHaveAttribute("target", "_blank");

    const upcoming = screen.getByRole("region", { name: "Also coming up" });
    expect(within(upcoming).getByText("Career Q&A")).toBeInTheDocument();
    // Three days ahead: Join is not open yet.
    expect(within(upcoming).getByRole("button", { name: "Join Career Q&A" })).toBeDisabled();
    // Another batch's session never reaches this student.
    expect(screen.queryByText("Batch 13 kick-off")).not.toBeInTheDocument();

    const past = await screen.findByRole("region", { name: "Past sessions" });
    expect(await within(past).findByText("Retrospective")).toBeInTheDocument();
    expect(within(past).getByRole("link", { name: "Watch the recording of Retrospective (opens in a new tab)" })).toHaveAttribute(
      "href",
      "https://video.example.com/retro",
    );

    await user.click(join);
    await waitFor(async () => {
      const records = await t.run((ctx) => ctx.db.query("successSessionAttendance").collect());
      expect(records.map((record) => [record.sessionId, record.studentId, record.status])).toEqual([[soonId, student.userId, "present"]]);
    });
    await user.click(join);
    await waitFor(async () => {
      expect((await student.as.query(api.successSessions.get, { sessionId: soonId }))?.myAttendance).toBe("present");
    });
    expect(await t.run(async (ctx) => (await ctx.db.query("successSessionAttendance").collect()).length)).toBe(1);
  });

  test("Show more loads further upcoming and older past sessions of the student's batch only, each once and in order", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const mentor = await seedUser(t, { roles: ["mentor"], name: "Maya Mentor" });
    const student = await seedUser(t, { roles: ["student"], name: "Amira Student" });
    const web = await seedCourse(t, "Web Development", ["Batch 12", "Batch 13"]);
    const now = Date.now();
    await seedEnrollment(t, { studentId: student.userId, courseId: web.courseId, batchId: web.batchIds["Batch 12"], enrolledAt: now - 60 * DAY });
    const insert = (title: string, startsAt: number, batch: "Batch 12" | "Batch 13") =>
      t.run((ctx) =>
        ctx.db.insert("successSessions", {
          title,
          description: "",
          courseId: web.courseId,
          batchId: web.batchIds[batch],
          mentorId: mentor.userId,
          startsAt,
          endsAt: startsAt + 60 * MINUTE,
          timeZone: "Europe/Berlin",
          status: startsAt < now ? "completed" : "upcoming",
          meetingUrl: "https://zoom.example.com/j/1",
          sequence: 0,
          createdBy: admin.userId,
        }),
      );
    // 25 upcoming (a page is 20) and 12 past (a page is 10) for Batch 12, Batch 13's in between.
    const upcomingTitle = (index: number) => `Upcoming ${String(index).padStart(2, "0")}`;
    const pastTitle = (index: number) => `Past ${String(index).padStart(2, "0")}`;
    for (let index = 1; index <= 25; index += 1) {
      await insert(upcomingTitle(index), now + index * DAY, "Batch 12");
      await insert(`Batch 13 upcoming ${index}`, now + index * DAY + 60 * MINUTE, "Batch 13");
    }
    for (let index = 1; index <= 12; index += 1) {
      await insert(pastTitle(index), now - index * DAY, "Batch 12");
      await insert(`Batch 13 past ${index}`, now - index * DAY - 2 * 60 * MINUTE, "Batch 13");
    }

    const { user } = renderWithBackend(<StudentSessionsPage />, { t, as: student, route: "/sessions" });
    const next = await screen.findByRole("region", { name: "Next session" });
    expect(await within(next).findByText(upcomingTitle(1))).toBeInTheDocument();
    const upcoming = await screen.findByRole("region", { name: "Also coming up" });
    const past = await screen.findByRole("region", { name: "Past sessions" });
    const titlesIn = (region: HTMLElement, pattern: RegExp) => within(region).getAllByText(pattern).map((element) => element.textContent);
    const range = (from: number, to: number, title: (index: number) => string) => Array.from({ length: to - from + 1 }, (_, offset) => title(from + offset));

    expect(titlesIn(upcoming, /^Upcoming \d+$/)).toEqual(range(2, 20, upcomingTitle));
    await waitFor(() => expect(within(past).getAllByText(/^Past \d+$/)).toHaveLength(10));
    expect(titlesIn(past, /^Past \d+$/)).toEqual(range(1, 10, pastTitle));

    await clickWhenEnabled(user, within(upcoming).getByRole("button", { name: "Show more upcoming sessions" }));
    expect(await within(upcoming).findByText(upcomingTitle(25))).toBeInTheDocument();
    expect(titlesIn(upcoming, /^Upcoming \d+$/)).toEqual(range(2, 25, upcomingTitle));
    await waitFor(() => expect(within(upcoming).queryByRole("button", { name: "Show more upcoming sessions" })).not.toBeInTheDocument());

    await clickWhenEnabled(user, within(past).getByRole("button", { name: "Show older sessions" }));
    expect(await within(past).findByText(pastTitle(12))).toBeInTheDocument();
    expect(titlesIn(past, /^Past \d+$/)).toEqual(range(1, 12, pastTitle));
    await waitFor(() => expect(within(past).queryByRole("button", { name: "Show older sessions" })).not.toBeInTheDocument());

    // Another batch's sessions never reach this student, on any page.
    expect(screen.queryByText(/^Batch 13/)).not.toBeInTheDocument();
  });

  test("when the first page of upcoming sessions holds only cancelled ones, the next session that takes place is still found", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const mentor = await seedUser(t, { roles: ["mentor"] });
    const student = await seedUser(t, { roles: ["student"] });
    const web = await seedCourse(t, "Web Development", ["Batch 12"]);
    const now = Date.now();
    await seedEnrollment(t, { studentId: student.userId, courseId: web.courseId, batchId: web.batchIds["Batch 12"], enrolledAt: now - DAY });
    await t.run(async (ctx) => {
      // 25 cancelled sessions (a page is 20), then the one that takes place.
      for (let index = 1; index <= 26; index += 1) {
        const startsAt = now + index * DAY;
        await ctx.db.insert("successSessions", {
          title: index <= 25 ? `Cancelled ${index}` : "Demo day",
          description: "",
          courseId: web.courseId,
          batchId: web.batchIds["Batch 12"],
          mentorId: mentor.userId,
          startsAt,
          endsAt: startsAt + 60 * MINUTE,
          timeZone: "Europe/Berlin",
          status: index <= 25 ? "cancelled" : "upcoming",
          meetingUrl: "https://zoom.example.com/j/1",
          sequence: 0,
          createdBy: admin.userId,
        });
      }
    });

    renderWithBackend(<StudentSessionsPage />, { t, as: student, route: "/sessions" });
    const next = await screen.findByRole("region", { name: "Next session" });
    expect(await within(next).findByText("Demo day")).toBeInTheDocument();
    expect(screen.queryByText("No upcoming sessions")).not.toBeInTheDocument();
  });

  test("a student without active enrollments sees an empty page", async () => {
    await renderForNewUser(<StudentSessionsPage />, { roles: ["student"], route: "/sessions" });
    expect(await screen.findByText("No upcoming sessions")).toBeInTheDocument();
    expect(await screen.findByText("No past sessions since you enrolled.")).toBeInTheDocument();
  });
});
