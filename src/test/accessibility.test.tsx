import { render, screen, within } from "@testing-library/react";
import { Blob as NodeBlob } from "node:buffer";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { enqueueEmail } from "../../convex/model/notifications/outbox";
import { DEV_AUTH_ISSUER, PERSONAS, personaTokenIdentifier } from "../../convex/model/personas";
import { newTest, seedUser, type TestBackend } from "../../testing/convex";
import { AppLayout } from "../app/AppLayout";
import { expectNoAxeViolations } from "./axe";
import { renderWithBackend } from "./renderWithBackend";

/**
 * Accessibility of the main page of each area: every page is rendered inside the real app shell
 * (header, navigation, main landmark) at its URL, signed in as a demo persona, against ONE backend
 * filled by the demo seed (`seed:init`, the data a local deployment shows) plus what the seed lacks
 * (a published expert session, outbox emails, a failed Discord provisioning). Each test waits for
 * the page's data, then runs axe (src/test/axe.ts) on the whole document.
 */

/** Tuesday 3 March 2026, 09:00 UTC: the seed's dates are relative to this day. */
const NOW = Date.UTC(2026, 2, 3, 9, 0);

type Persona = "superadmin" | "admin" | "coach-john" | "student-amira" | "mentor" | "lecturer";

let t: TestBackend;
let webCourseId: Id<"courses">;
let jobReadinessId: Id<"products">;
let expertSessionId: Id<"expertSessions">;
let johnId: Id<"users">;
let newStudent: Awaited<ReturnType<typeof seedUser>>;
let everyRole: Awaited<ReturnType<typeof seedUser>>;

/** The identity of a seeded persona (`persona-<key>`), as the dev sign-in would give it. */
function persona(key: Persona) {
  const subject = `persona-${key}`;
  const found = PERSONAS.find((candidate) => candidate.subject === subject);
  if (found === undefined) throw new Error(`no persona ${subject}`);
  return { subject, issuer: DEV_AUTH_ISSUER, tokenIdentifier: personaTokenIdentifier(subject), name: found.name, email: found.email };
}

/** Renders the whole app at `route`, signed in as `as`. */
function openPage(route: string, as: Persona | { identity: object }) {
  return renderWithBackend(<AppLayout />, { t, as: typeof as === "string" ? persona(as) : as, route });
}

/** Stores a small "video" the way the upload endpoint would (content type and size recorded). */
async function storeVideo(): Promise<Id<"_storage">> {
  return await t.run(async (ctx) => {
    // Node's Blob: convex-test hashes the bytes with Node's crypto, which refuses jsdom's ArrayBuffer.
    const storageId = await ctx.storage.store(new NodeBlob([new Uint8Array(64)], { type: "video/mp4" }) as unknown as Blob);
    const convex = (globalThis as unknown as { Convex: { asyncSyscall: (op: string, args: string) => Promise<string> } }).Convex;
    await convex.asyncSyscall("1.0/shallowMerge", JSON.stringify({ table: "_storage", id: storageId, value: { contentType: "video/mp4", size: 64 } }));
    return storageId;
  });
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  // enqueueEmail below records emails as "not sent" without a Resend key.
  vi.stubEnv("RESEND_API_KEY", "");
  t = newTest();
  await t.mutation(internal.seed.init, {});
  const admin = t.withIdentity(persona("admin"));

  const { products, web, coachingSessionId } = await t.run(async (ctx) => {
    const activeProducts = await ctx.db.query("products").withIndex("by_status", (q) => q.eq("status", "active")).collect();
    const courses = await ctx.db.query("courses").withIndex("by_status", (q) => q.eq("status", "active")).collect();
    const coaching = await ctx.db.query("coachingSessions").first();
    return { products: activeProducts, web: courses.find((course) => course.title === "Full-Stack Web Development")!, coachingSessionId: coaching!._id };
  });
  webCourseId = web._id;
  johnId = await t.run(async (ctx) => (await ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", "john.coach@example.com")).first())!._id);

  // A published expert session for Amira's Job Readiness Programme (the seed's are drafts without video).
  const jobReadiness = products.find((product) => product.title === "Job Readiness Programme")!;
  jobReadinessId = jobReadiness._id;
  expertSessionId = await admin.mutation(api.expertSessions.create, {
    title: "Portfolio projects that get interviews",
    description: "Choosing, scoping and presenting two portfolio projects.",
    productIds: [jobReadiness._id],
    active: true,
    video: { storageId: await storeVideo(), durationSeconds: 1500 },
  });

  // Outbox: one email not sent (no RESEND_API_KEY) and one to a broken address.
  await t.run(async (ctx) => {
    const email = { event: "successSession.created", entityId: "success-1", text: "Text", html: "<p>Text</p>" };
    await enqueueEmail(ctx, { ...email, idempotencyKey: "a11y/1", to: "amira.student@example.com", subject: "New session: Sprint review" });
    await enqueueEmail(ctx, { ...email, idempotencyKey: "a11y/2", to: "not-an-address", subject: "Reminder: Career Q&A" });
  });

  // One coaching session whose Discord provisioning failed, so the dashboard shows an error and Retry.
  await t.run(async (ctx) => {
    const space = await ctx.db
      .query("discordSpaces")
      .withIndex("by_sessionId", (q) => q.eq("sessionId", coachingSessionId))
      .unique();
    await ctx.db.patch("discordSpaces", space!._id, {
      state: "failed",
      attempts: 2,
      lastError: "Discord refused to create the role (403 Missing Permissions).",
    });
  });

  newStudent = await seedUser(t, { roles: ["student"], name: "Nora New" });
  everyRole = await seedUser(t, {
    roles: ["student", "mentor", "coach", "lecturer", "enrollment_manager", "admin", "superadmin"],
    name: "Robin Allroles",
  });
}, 60_000);

afterAll(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

describe("accessibility (axe) of the main pages", { timeout: 30_000 }, () => {
  test("the check itself fails on a nameless icon button and says which rule and element", async () => {
    render(
      <main>
        <h1>Page</h1>
        <button type="button">
          <svg aria-hidden="true" />
        </button>
      </main>,
    );
    const failure = await expectNoAxeViolations().then(
      () => null,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    expect(failure).toContain("button-name (critical): Buttons must have discernible text");
    expect(failure).toContain('<button type="button">');
  });

  test("app shell with every navigation section, and a notification", async () => {
    const { user } = openPage("/profile", everyRole);
    const navigation = await screen.findByRole("navigation", { name: "Main navigation" });
    expect(within(navigation).getByRole("group", { name: "Admin" })).toBeInTheDocument();
    expect(await screen.findByText(everyRole.identity.email!)).toBeInTheDocument();
    await expectNoAxeViolations();
    await user.click(screen.getByRole("button", { name: /Use my browser's zone/ }));
    expect(await screen.findByText(/^Times are now shown in /)).toBeInTheDocument();
    await expectNoAxeViolations();
  });

  test("app shell with the phone navigation opened", async () => {
    const { user } = openPage("/profile", "student-amira");
    await user.click(await screen.findByRole("button", { name: "Open navigation" }));
    expect(screen.getByRole("button", { name: "Close navigation" })).toHaveAttribute("aria-expanded", "true");
    await expectNoAxeViolations();
  });

  test("student: Live sessions", async () => {
    openPage("/sessions", "student-amira");
    expect(await within(await screen.findByRole("region", { name: "Past sessions" })).findByText("Kick-off retrospective")).toBeInTheDocument();
    expect(await screen.findByRole("region", { name: "Next session" })).toBeInTheDocument();
    // A Join that is not open yet says when it opens, also to screen readers.
    const [notOpenYet] = await screen.findAllByRole("button", { name: "Join Weekly career Q&A" });
    expect(notOpenYet).toBeDisabled();
    expect(notOpenYet).toHaveAccessibleDescription(/^Opens at \d/);
    await expectNoAxeViolations();
  });


  test("student: Join session, with a session found", async () => {
    const code = await t.run(async (ctx) => {
      const open = await ctx.db.query("codedSessions").collect();
      return open.find((session) => session.status === "open")!.code;
    });
    const { user } = openPage("/join", "student-amira");
    await user.type(await screen.findByLabelText("Join code"), code);
    await user.click(screen.getByRole("button", { name: "Find session" }));
    expect(await screen.findByRole("region", { name: "Session found" })).toBeInTheDocument();
    await expectNoAxeViolations();
  });




  test("student: Coaching (booking), with a coach's free times shown", async () => {
    const { user } = openPage("/coaching", "student-amira");
    expect(await within(await screen.findByRole("region", { name: "My coaching sessions" })).findByRole("article", { name: /with John Coach/ })).toBeInTheDocument();
    await user.click(await screen.findByRole("combobox", { name: "Coach" }));
    await user.click(await screen.findByRole("option", { name: "Sarah Coach" }));
    const freeTimes = await screen.findByRole("region", { name: /^Free times on / });
    const [slot] = await within(freeTimes).findAllByRole("button", { name: /with Sarah Coach$/ });
    await expectNoAxeViolations();
    await user.click(slot);
    expect(await screen.findByRole("dialog", { name: "Confirm your booking" })).toBeInTheDocument();
    await expectNoAxeViolations();
  });



  test("staff: Success sessions, and its Schedule dialog", async () => {
    const { user } = openPage("/manage/success-sessions", "admin");
    expect(await screen.findByText("Sprint review: your first API")).toBeInTheDocument();
    await expectNoAxeViolations();
    await user.click(screen.getAllByRole("button", { name: "Schedule session" })[0]);
    expect(await screen.findByRole("dialog", { name: "Schedule session" })).toBeInTheDocument();
    await expectNoAxeViolations();
  });


  test("staff: a course's page, its Enroll dialog and its batches", async () => {
    const { user } = openPage(`/manage/courses/${webCourseId}`, "admin");
    expect(await screen.findByRole("table", { name: "Enrollments of Full-Stack Web Development" })).toBeInTheDocument();
    await expectNoAxeViolations();
    await user.click(screen.getAllByRole("button", { name: "Enroll student" })[0]);
    expect(await screen.findByRole("dialog", { name: "Enroll a student in Full-Stack Web Development" })).toBeInTheDocument();
    await expectNoAxeViolations();
    await user.keyboard("{Escape}");
    await user.click(screen.getByRole("tab", { name: /Batches/ }));
    expect(await screen.findByRole("button", { name: "Rename Batch 12" })).toBeInTheDocument();
    await expectNoAxeViolations();
  });




  test("staff: a coach's page, schedule and weekly hours", async () => {
    const { user } = openPage(`/manage/coaches/${johnId}`, "admin");
    expect(await screen.findByRole("article", { name: /^Amira Student/ })).toBeInTheDocument();
    await expectNoAxeViolations();
    await user.click(screen.getByRole("tab", { name: "Weekly hours" }));
    expect(await screen.findByRole("group", { name: "Monday" })).toBeInTheDocument();
    await expectNoAxeViolations();
  });

  test("mentor: My sessions, with a past session's attendees open", async () => {
    const { user } = openPage("/teach/success-sessions", "mentor");
    expect(await screen.findByText("Sprint review: your first API")).toBeInTheDocument();
    await expectNoAxeViolations();
    await user.click(screen.getByText("Past"));
    await user.click(await screen.findByRole("button", { name: "Attendees of Kick-off retrospective" }));
    expect(await screen.findByRole("combobox", { name: "Attendance of Amira Student" })).toBeInTheDocument();
    await expectNoAxeViolations();
  });

  test("lecturer: Coded sessions and an open session's page", async () => {
    const { user } = openPage("/teach/coded-sessions", "lecturer");
    await user.click(await screen.findByRole("link", { name: "Live class: TypeScript generics" }));
    expect(await screen.findByRole("table", { name: "Participants" })).toBeInTheDocument();
    await expectNoAxeViolations();
  });


  test("superadmin: Roles, and the edit dialog", async () => {
    const { user } = openPage("/admin/roles", "superadmin");
    expect(await within(await screen.findByRole("table", { name: "Users and roles" })).findByText("Amira Student")).toBeInTheDocument();
    await expectNoAxeViolations();
    await user.click(screen.getByRole("button", { name: "Edit roles of Amira Student" }));
    expect(await screen.findByRole("dialog", { name: "Roles of Amira Student" })).toBeInTheDocument();
    await expectNoAxeViolations();
  });

  test("staff: Email outbox, and an email's preview", async () => {
    const { user } = openPage("/manage/outbox", "admin");
    expect(await within(await screen.findByRole("table", { name: "Outbox emails" })).findByText("Reminder: Career Q&A")).toBeInTheDocument();
    await expectNoAxeViolations();
    await user.click(screen.getByRole("button", { name: "Reminder: Career Q&A" }));
    expect(await within(await screen.findByRole("dialog", { name: "Reminder: Career Q&A" })).findByText("Text")).toBeInTheDocument();
    await expectNoAxeViolations();
  });


  test("staff: Attendance report", async () => {
    const { user } = openPage("/manage/attendance", "admin");
    expect(await within(await screen.findByRole("table", { name: "Sessions" })).findByText("Kick-off retrospective")).toBeInTheDocument();
    expect(await screen.findByRole("table", { name: "Students" })).toBeInTheDocument();
    await expectNoAxeViolations();
    // An open drop-down list (Mantine Combobox) too.
    await user.click(screen.getByRole("combobox", { name: "Course" }));
    expect(await screen.findByRole("option", { name: "Data Science Foundations" })).toBeInTheDocument();
    await expectNoAxeViolations();
  });



  test("empty state: Live sessions of a student without enrollments", async () => {
    openPage("/sessions", newStudent);
    expect(await screen.findByText("No upcoming sessions")).toBeInTheDocument();
    expect(await screen.findByText("No past sessions since you enrolled.")).toBeInTheDocument();
    await expectNoAxeViolations();
  });

  /** Pages checked as they first show: open, wait for `shows` (the page's data), then axe. */
  const PAGES: { page: string; open: () => unknown; shows: () => Promise<HTMLElement> }[] = [
    {
      page: "student: My courses",
      open: () => openPage("/my-courses", "student-amira"),
      shows: async () => await screen.findByRole("listitem", { name: "Full-Stack Web Development" }),
    },
    {
      page: "student: Expert sessions",
      open: () => openPage("/expert-sessions", "student-amira"),
      shows: async () => await screen.findByRole("article", { name: "Portfolio projects that get interviews" }),
    },
    {
      page: "student: an expert session's player",
      open: () => openPage(`/expert-sessions/${expertSessionId}`, "student-amira"),
      shows: async () => await screen.findByRole("heading", { level: 1, name: "Portfolio projects that get interviews" }),
    },
    {
      page: "staff: Expert sessions",
      open: () => openPage("/manage/expert-sessions", "admin"),
      shows: async () => await screen.findByText("Acing the behavioural interview"),
    },
    {
      page: "coach: Coaching sessions",
      open: () => openPage("/coaching/coach", "coach-john"),
      shows: async () => await screen.findByRole("article", { name: /^Amira Student/ }),
    },
    {
      page: "coach: Availability",
      open: () => openPage("/coaching/availability", "coach-john"),
      shows: async () => await screen.findByRole("group", { name: "Monday" }),
    },
    {
      page: "staff: Courses",
      open: () => openPage("/manage/courses", "admin"),
      shows: async () => await screen.findByRole("link", { name: "Full-Stack Web Development" }),
    },
    {
      page: "staff: a product's page",
      open: () => openPage(`/manage/products/${jobReadinessId}`, "admin"),
      shows: async () => await within(await screen.findByRole("table", { name: "Access to Job Readiness Programme" })).findByText("Amira Student"),
    },
    {
      page: "staff: Pathways",
      open: () => openPage("/manage/pathways", "admin"),
      shows: async () => await screen.findByRole("table", { name: "Pathways" }),
    },
    {
      page: "staff: Coaching products",
      open: () => openPage("/manage/coaching-products", "admin"),
      shows: async () => await within(await screen.findByRole("table", { name: "Coaching products" })).findByRole("button", { name: "Edit 1:1 Career Coaching" }),
    },
    {
      page: "staff: Products",
      open: () => openPage("/manage/products", "admin"),
      shows: async () => await screen.findByText("Job Readiness Programme"),
    },
    {
      page: "staff: Discord dashboard",
      open: () => openPage("/manage/discord", "admin"),
      shows: async () => await within(await screen.findByRole("table", { name: "Coaching sessions and their Discord state" })).findByText(/403 Missing Permissions/),
    },
    {
      page: "staff: Coaches",
      open: () => openPage("/manage/coaches", "admin"),
      shows: async () => await within(await screen.findByRole("table", { name: "Coaches" })).findByRole("link", { name: "Sarah Coach" }),
    },
    {
      page: "Profile",
      open: () => openPage("/profile", "coach-john"),
      shows: async () => await screen.findByText("john.coach@example.com"),
    },
    {
      page: "empty state: My courses of a student without enrollments",
      open: () => openPage("/my-courses", newStudent),
      shows: async () => await screen.findByText("You are not enrolled in any course yet"),
    },
  ];

  test.each(PAGES)("$page", async ({ open, shows }) => {
    open();
    expect(await shows()).toBeInTheDocument();
    await expectNoAxeViolations();
  });
});
