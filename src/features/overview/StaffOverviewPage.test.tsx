import { screen, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { insertCoachingSession, insertSuccessSession, patchDiscordSpace } from "../../../convex/model/notifications/notifications.testkit";
import { newTest, seedCourse, seedUser } from "../../../testing/convex";
import { AppLayout } from "../../app/AppLayout";
import { expectNoAxeViolations } from "../../test/axe";
import { renderForNewUser, renderWithBackend } from "../../test/renderWithBackend";
import { formatCount } from "./StaffOverviewPage";
import { freezeClockAt } from "../../test/clock";

/** Tuesday 1 December 2026, 15:00 UTC. */
const NOW = Date.UTC(2026, 11, 1, 15, 0);
const MINUTE = 60_000;

freezeClockAt(NOW);

describe("Overview", { timeout: 30_000 }, () => {
  test("shows today's sessions, what starts within the hour and what needs a person, each linking to its page", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"], timeZone: "UTC" });
    const mentor = await seedUser(t, { roles: ["mentor"] });
    const formerMentor = await seedUser(t, { roles: ["student"], name: "Former Mentor" });
    const coach = await seedUser(t, { roles: ["coach"] });
    const student = await seedUser(t, { roles: ["student"] });
    const course = await seedCourse(t, "Data Science");
    await insertSuccessSession(t, { courseId: course.courseId, batchId: null, mentorId: mentor.userId, title: "Career Q&A", startsAt: NOW + 20 * MINUTE });
    await insertSuccessSession(t, { courseId: course.courseId, batchId: null, mentorId: mentor.userId, title: "Live review", startsAt: NOW - 10 * MINUTE, status: "live" });
    await insertSuccessSession(t, { courseId: course.courseId, batchId: null, mentorId: formerMentor.userId, title: "Portfolio clinic", startsAt: NOW + 3 * 24 * 60 * MINUTE });
    const failed = await insertCoachingSession(t, { coachId: coach.userId, studentId: student.userId, startsAt: NOW + 2 * 60 * MINUTE });
    await patchDiscordSpace(t, failed, { state: "failed" });

    renderWithBackend(<AppLayout />, { t, as: admin, route: "/overview" });
    const today = await screen.findByRole("region", { name: "Today" });
    expect(within(today).getByRole("link", { name: "Success sessions today" }).closest("div")).toHaveTextContent("2");
    expect(within(today).getByRole("link", { name: "Success sessions live now" }).closest("div")).toHaveTextContent("1");
    expect(within(today).getByRole("link", { name: "Coaching sessions today" })).toHaveAttribute("href", "/manage/coaches");

    const soon = screen.getByRole("region", { name: "Starting within the hour" });
    expect(within(soon).getByRole("link", { name: "Career Q&A" })).toHaveAttribute("href", "/manage/success-sessions");

    const attention = screen.getByRole("region", { name: "Needs a person" });
    expect(attention).toHaveTextContent("1 Discord spaces failed");
    expect(within(attention).getByRole("link", { name: "Retry on the Discord page" })).toHaveAttribute("href", "/manage/discord");
    expect(attention).toHaveTextContent("1 upcoming success sessions have no mentor who can host them");
    expect(attention).toHaveTextContent("Portfolio clinic");
    await expectNoAxeViolations();
  });

  test("with nothing to do it says so", async () => {
    await renderForNewUser(<AppLayout />, { roles: ["superadmin"], route: "/overview" });
    expect(await screen.findByText("Nothing needs a person right now.")).toBeInTheDocument();
    expect(screen.getByText("Nothing starts within the next hour.")).toBeInTheDocument();
  });

  test("capped counts read as 100+", () => {
    expect(formatCount(100, 100)).toBe("100+");
    expect(formatCount(99, 100)).toBe("99");
  });
});
