import { screen, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { newTest, seedUser } from "../../testing/convex";
import { renderWithBackend } from "../test/renderWithBackend";
import type { Role } from "../../convex/model/roles";
import { anySignedInUser, can, hasAnyRole } from "../lib/access";
import { PageHeader } from "../lib/components/PageHeader";
import { AppLayout } from "./AppLayout";
import type { AppRoute } from "./routes";

/** The navbar's links, by name. */
async function navigationLinks() {
  const navigation = await screen.findByRole("navigation", { name: "Main navigation" });
  return within(navigation)
    .getAllByRole("link")
    .map((link) => link.textContent);
}

describe("navigation per role", () => {
  test("a student sees My courses but no management pages", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"], name: "Sam Student" });
    renderWithBackend(<AppLayout />, { t, as: student, route: "/my-courses" });

    expect(await screen.findByRole("heading", { level: 1, name: "My courses" })).toBeInTheDocument();
    const links = await navigationLinks();
    expect(links).toContain("My courses");
    expect(links).toContain("Profile");
    expect(links).not.toContain("Courses");
    expect(links).not.toContain("Roles");
    expect(screen.getByRole("link", { name: "My courses" })).toHaveAttribute("aria-current", "page");
    expect(screen.getAllByText("Sam Student").length).toBeGreaterThan(0);
  });

  test("a student who opens a management URL gets not found", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"] });
    renderWithBackend(<AppLayout />, { t, as: student, route: "/manage/courses" });
    expect(await screen.findByRole("heading", { name: "Page not found" })).toBeInTheDocument();
  });

  test("an admin sees the management area, but not Roles nor the students' pages", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    renderWithBackend(<AppLayout />, { t, as: admin, route: "/manage/courses" });

    expect(await screen.findByRole("heading", { level: 1, name: "Courses" })).toBeInTheDocument();
    const links = await navigationLinks();
    expect(links).toEqual(expect.arrayContaining(["Courses", "Products", "Pathways", "Profile"]));
    expect(links).not.toContain("Roles");
    expect(links).not.toContain("My courses");
  });

  test("a superadmin also sees Roles", async () => {
    const t = newTest();
    const superadmin = await seedUser(t, { roles: ["superadmin"] });
    renderWithBackend(<AppLayout />, { t, as: superadmin, route: "/profile" });
    const links = await navigationLinks();
    expect(links).toEqual(expect.arrayContaining(["Courses", "Roles"]));
  });

  test("a student who is also an enrollment manager sees both areas", async () => {
    const t = newTest();
    const both = await seedUser(t, { roles: ["student", "enrollment_manager"] });
    renderWithBackend(<AppLayout />, { t, as: both, route: "/profile" });
    const navigation = await screen.findByRole("navigation", { name: "Main navigation" });
    expect(within(navigation).getByRole("group", { name: "Learn" })).toBeInTheDocument();
    expect(within(navigation).getByRole("group", { name: "Manage" })).toBeInTheDocument();
    expect(within(navigation).queryByRole("group", { name: "Admin" })).not.toBeInTheDocument();
  });

  test("a first-time sign-in is stored as a student before pages load", async () => {
    const t = newTest();
    renderWithBackend(<AppLayout />, {
      t,
      as: {
        subject: "new-person",
        issuer: "https://test.issuer",
        tokenIdentifier: "https://test.issuer|new-person",
        name: "Nina New",
        email: "nina@example.com",
      },
      route: "/my-courses",
    });
    expect(await screen.findByRole("heading", { level: 1, name: "My courses" })).toBeInTheDocument();
    const stored = await t.run((ctx) =>
      ctx.db
        .query("users")
        .withIndex("by_email", (q) => q.eq("email", "nina@example.com"))
        .unique(),
    );
    expect(stored?.roles).toEqual(["student"]);
  });

  test("sign-out is offered in the header", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"] });
    const { user, signOutCalls } = renderWithBackend(<AppLayout />, { t, as: student, route: "/profile" });
    await user.click(await screen.findByRole("button", { name: "Sign out" }));
    expect(signOutCalls()).toBe(1);
  });
});

describe("areas and the start page", () => {
  // A small registry of its own, so these tests do not depend on which pages features add.
  const routes: AppRoute[] = [
    { path: "/learn", label: "Learn page", group: "Learn", visible: hasAnyRole("student"), element: <PageHeader title="Learn page" />, home: 10 },
    { path: "/catalog", label: "Catalog page", group: "Manage", visible: can("catalog.read"), element: <PageHeader title="Catalog page" />, home: 20 },
    { path: "/hosting", label: "Hosting page", group: "Teach", visible: can("successSessions.host"), element: <PageHeader title="Hosting page" /> },
    { path: "/coaching", label: "Coaching page", group: "Coaching", visible: can("coaching.coach"), element: <PageHeader title="Coaching page" /> },
    { path: "/me", label: "Me page", group: "Account", visible: anySignedInUser, element: <PageHeader title="Me page" /> },
  ];

  test("a coach who also mentors sees both the Teach and the Coaching area", async () => {
    const t = newTest();
    const person = await seedUser(t, { roles: ["coach", "mentor"] });
    renderWithBackend(<AppLayout routes={routes} />, { t, as: person, route: "/me" });
    const navigation = await screen.findByRole("navigation", { name: "Main navigation" });
    expect(within(navigation).getByRole("group", { name: "Teach" })).toHaveTextContent("Hosting page");
    expect(within(navigation).getByRole("group", { name: "Coaching" })).toHaveTextContent("Coaching page");
    expect(within(navigation).queryByRole("group", { name: "Learn" })).not.toBeInTheDocument();
    expect(within(navigation).queryByRole("group", { name: "Manage" })).not.toBeInTheDocument();
  });

  test.each([
    { roles: ["student"] as Role[], lands: "Learn page" },
    { roles: ["enrollment_manager"] as Role[], lands: "Catalog page" },
    { roles: ["admin", "student"] as Role[], lands: "Learn page" },
  ])("sends $roles to the $lands", async ({ roles, lands }) => {
    const t = newTest();
    const person = await seedUser(t, { roles });
    renderWithBackend(<AppLayout routes={routes} />, { t, as: person, route: "/" });
    expect(await screen.findByRole("heading", { level: 1, name: lands })).toBeInTheDocument();
  });

  test("without a landing page for their roles, a user sees links to what they can open", async () => {
    const t = newTest();
    const coach = await seedUser(t, { roles: ["coach"], name: "Chris Coach" });
    renderWithBackend(<AppLayout routes={routes} />, { t, as: coach, route: "/" });
    expect(await screen.findByRole("heading", { level: 1, name: "Welcome, Chris Coach" })).toBeInTheDocument();
    expect(within(screen.getByRole("main")).getByRole("link", { name: "Me page" })).toHaveAttribute("href", "/me");
  });
});
