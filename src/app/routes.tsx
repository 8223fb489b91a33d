import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from "react";
import { matchPath } from "react-router";
import { anySignedInUser, can, canReadAllCoachSchedules, hasAnyRole, type WithRoles } from "../lib/access";

/**
 * Loads a page's module only when the page is first opened, so the first download stays small on a
 * phone; the shell shows a loading state meanwhile (Suspense in AppLayout).
 */
function lazyPage<Name extends string>(
  load: () => Promise<Record<Name, ComponentType>>,
  name: Name,
): LazyExoticComponent<ComponentType> {
  return lazy(async () => {
    const page: ComponentType = (await load())[name];
    return { default: page };
  });
}

const AdminRolesPage = lazyPage(() => import("../features/admin/RolesPage"), "AdminRolesPage");
const CourseDetailPage = lazyPage(() => import("../features/catalog/CourseDetailPage"), "CourseDetailPage");
const CoursesPage = lazyPage(() => import("../features/catalog/CoursesPage"), "CoursesPage");
const MyCoursesPage = lazyPage(() => import("../features/catalog/MyCoursesPage"), "MyCoursesPage");
const PathwaysPage = lazyPage(() => import("../features/catalog/PathwaysPage"), "PathwaysPage");
const ProductDetailPage = lazyPage(() => import("../features/catalog/ProductDetailPage"), "ProductDetailPage");
const ProductsPage = lazyPage(() => import("../features/catalog/ProductsPage"), "ProductsPage");
const ProfilePage = lazyPage(() => import("../features/profile/ProfilePage"), "ProfilePage");
const CodedSessionPage = lazyPage(() => import("../features/codedSessions/CodedSessionPage"), "CodedSessionPage");
const JoinSessionPage = lazyPage(() => import("../features/codedSessions/JoinSessionPage"), "JoinSessionPage");
const TeachCodedSessionsPage = lazyPage(() => import("../features/codedSessions/TeachCodedSessionsPage"), "TeachCodedSessionsPage");
const EditExpertSessionPage = lazyPage(() => import("../features/expertSessions/ExpertSessionFormPage"), "EditExpertSessionPage");
const NewExpertSessionPage = lazyPage(() => import("../features/expertSessions/ExpertSessionFormPage"), "NewExpertSessionPage");
const ExpertSessionPlayerPage = lazyPage(() => import("../features/expertSessions/ExpertSessionPlayerPage"), "ExpertSessionPlayerPage");
const MyExpertSessionsPage = lazyPage(() => import("../features/expertSessions/MyExpertSessionsPage"), "MyExpertSessionsPage");
const StaffExpertSessionsPage = lazyPage(() => import("../features/expertSessions/StaffExpertSessionsPage"), "StaffExpertSessionsPage");
const AttendanceReportPage = lazyPage(() => import("../features/successSessions/AttendanceReportPage"), "AttendanceReportPage");
const MentorSessionsPage = lazyPage(() => import("../features/successSessions/MentorSessionsPage"), "MentorSessionsPage");
const StaffSessionsPage = lazyPage(() => import("../features/successSessions/StaffSessionsPage"), "StaffSessionsPage");
const StudentSessionsPage = lazyPage(() => import("../features/successSessions/StudentSessionsPage"), "StudentSessionsPage");
const OutboxPage = lazyPage(() => import("../features/notifications/OutboxPage"), "OutboxPage");
const AvailabilityPage = lazyPage(() => import("../features/coaching/AvailabilityPage"), "AvailabilityPage");
const CoachSessionsPage = lazyPage(() => import("../features/coaching/CoachSessionsPage"), "CoachSessionsPage");
const CoachesPage = lazyPage(() => import("../features/coaching/CoachesPage"), "CoachesPage");
const CoachDetailPage = lazyPage(() => import("../features/coaching/CoachesPage"), "CoachDetailPage");
const CoachingProductsPage = lazyPage(() => import("../features/coaching/CoachingProductsPage"), "CoachingProductsPage");
const StudentCoachingPage = lazyPage(() => import("../features/coaching/StudentCoachingPage"), "StudentCoachingPage");
const DiscordDashboardPage = lazyPage(() => import("../features/discord/DiscordDashboardPage"), "DiscordDashboardPage");
const SchedulePage = lazyPage(() => import("../features/schedule/SchedulePage"), "SchedulePage");
const StaffOverviewPage = lazyPage(() => import("../features/overview/StaffOverviewPage"), "StaffOverviewPage");

/**
 * The route registry: every page of the signed-in app, in one flat list. The app shell builds the
 * react-router routes AND the navigation from it, so adding a page is one entry here.
 *
 * How to add a page (feature teams):
 *   1. Write the page component under `src/features/<feature>/` (use `PageHeader`, `QueryState`
 *      etc. from `src/lib/components`) and declare it with `lazyPage` below, so its code loads only
 *      when the page is first opened.
 *   2. Append ONE entry to `appRoutes` below (keep entries of a group together, in the order the
 *      navbar should show them):
 *        { path: "/sessions", label: "Live sessions", group: "Learn",
 *          visible: hasAnyRole("student"), element: <StudentSessionsPage />, home: 10 },
 *   3. `visible` decides who sees the link AND who may open the route (others get "not found").
 *      Use `can("<permission>")` with a permission from `convex/model/access.ts#PERMISSIONS` so the
 *      UI mirrors the server's rule. Navigation follows what a person DOES, not only what they may
 *      do: a superadmin holds every permission, so self-service pages of a role (a student's
 *      learning pages, a coach's availability, a mentor's hosted sessions) also need that role
 *      (`both(hasAnyRole("coach"), can("coaching.coach"))`).
 *      The server still enforces every rule; this only hides what a user cannot use.
 *   4. Detail pages (`/manage/courses/:courseId`) set `showInNav: false`; the menu item of the
 *      listed page whose path is the longest prefix of theirs is active (or `navParent`'s). Exactly
 *      one menu item is active on every page (tested). The shell shows a loading
 *      state while a page's code loads, and every page sits inside an error boundary that shows
 *      query errors with the server's message.
 *   5. `home` (optional, lower wins): the landing page "/" redirects a user to the visible route
 *      with the lowest `home`, so each role lands somewhere useful.
 *
 * Paths: students' own pages at the top level, staff pages under `/manage`, superadmin pages under
 * `/admin`, coaching under `/coaching`, teaching under `/teach`.
 */

/** Navbar sections, in display order. A user sees every section that has a visible route. */
const NAV_GROUPS = ["Home", "Learn", "Teach", "Coaching", "Manage", "Admin", "Account"] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

/** One page of the app. */
export type AppRoute = {
  /** react-router path, e.g. "/manage/courses/:courseId". */
  path: string;
  /** Navbar label and document title. */
  label: string;
  /** Optional navbar icon (any ReactNode, 18 px). */
  icon?: ReactNode;
  /** The page. */
  element: ReactNode;
  /** Navbar section. */
  group: NavGroup;
  /** Who may see the link and open the page (see `can` / `hasAnyRole` in `src/lib/access.ts`). */
  visible: (user: WithRoles) => boolean;
  /** False for detail pages reached through a list (default true). */
  showInNav?: boolean;
  /** Landing-page priority: "/" redirects to the visible route with the lowest value. */
  home?: number;
  /**
   * For pages not listed in the menu whose path is not under a listed page: the listed page whose
   * menu item is active on them (may depend on the user).
   */
  navParent?: string | ((user: WithRoles) => string);
  /** Listed in the menu only when this holds for the viewer's {@link NavigationFacts} (the page stays reachable). */
  listedWhen?: (facts: NavigationFacts) => boolean;
};

/** What the menu needs to know beyond roles (`api.schedule.navigationFacts`); undefined while loading. */
export type NavigationFacts = { coachingAccess: boolean };

/** A visibility rule that holds when every rule holds. */
function both(...rules: ((user: WithRoles) => boolean)[]): (user: WithRoles) => boolean {
  return (user) => rules.every((rule) => rule(user));
}

/** A student's own learning pages: students only (superadmins hold the permissions but do not learn here). */
const isStudent = hasAnyRole("student");

export const appRoutes: AppRoute[] = [
  // Home: where each person starts
  {
    path: "/overview",
    label: "Overview",
    group: "Home",
    visible: can("sessions.readAll"),
    element: <StaffOverviewPage />,
    home: 5,
  },
  {
    path: "/schedule",
    label: "My schedule",
    group: "Home",
    // Everyone with a role takes part in something with a time (staff join coded sessions here).
    visible: can("codedSessions.join"),
    element: <SchedulePage />,
    home: 10,
  },

  // Learn (students)
  {
    path: "/sessions",
    label: "Live sessions",
    group: "Learn",
    visible: isStudent,
    element: <StudentSessionsPage />,
  },
  {
    path: "/my-courses",
    label: "My courses",
    group: "Learn",
    visible: isStudent,
    element: <MyCoursesPage />,
    home: 50,
  },
  {
    // Joining by code lives in the box on My schedule; this page stays for links and bookmarks.
    path: "/join",
    label: "Join session",
    group: "Learn",
    visible: can("codedSessions.join"),
    element: <JoinSessionPage />,
    showInNav: false,
    navParent: "/schedule",
  },
  {
    path: "/coded-sessions/:sessionId",
    label: "Coded session",
    group: "Learn",
    visible: can("codedSessions.join"),
    element: <CodedSessionPage />,
    showInNav: false,
    navParent: (user) => (can("codedSessions.create")(user) ? "/teach/coded-sessions" : "/schedule"),
  },
  {
    path: "/expert-sessions",
    label: "Expert sessions",
    group: "Learn",
    visible: both(isStudent, can("expertSessions.watch")),
    element: <MyExpertSessionsPage />,
  },
  {
    path: "/expert-sessions/:expertSessionId",
    label: "Expert session",
    group: "Learn",
    visible: both(isStudent, can("expertSessions.watch")),
    element: <ExpertSessionPlayerPage />,
    showInNav: false,
  },

  {
    // Listed for students with a coaching product; the others see how to get one on My schedule.
    path: "/coaching",
    label: "Coaching",
    group: "Learn",
    visible: both(isStudent, can("coaching.book")),
    element: <StudentCoachingPage />,
    listedWhen: (facts) => facts.coachingAccess,
    navParent: "/schedule",
  },

  // Teach (lecturers)
  {
    path: "/teach/coded-sessions",
    label: "Coded sessions",
    group: "Teach",
    visible: can("codedSessions.create"),
    element: <TeachCodedSessionsPage />,
    home: 30,
  },
  {
    path: "/teach/success-sessions",
    label: "My sessions",
    group: "Teach",
    visible: both(hasAnyRole("mentor"), can("successSessions.host")),
    element: <MentorSessionsPage />,
    home: 25,
  },
  {
    path: "/teach/attendance",
    label: "Attendance report",
    group: "Teach",
    // Staff reach the same page under Manage.
    visible: (user) => hasAnyRole("mentor")(user) && can("successSessions.host")(user) && !can("sessions.readAll")(user),
    element: <AttendanceReportPage />,
  },

  // Manage (staff)
  {
    path: "/manage/courses",
    label: "Courses",
    group: "Manage",
    visible: can("catalog.read"),
    element: <CoursesPage />,
    home: 20,
  },
  {
    path: "/manage/courses/:courseId",
    label: "Course",
    group: "Manage",
    visible: can("catalog.read"),
    element: <CourseDetailPage />,
    showInNav: false,
  },
  {
    path: "/manage/products",
    label: "Products",
    group: "Manage",
    visible: can("catalog.read"),
    element: <ProductsPage />,
  },
  {
    path: "/manage/products/:productId",
    label: "Product",
    group: "Manage",
    visible: can("catalog.read"),
    element: <ProductDetailPage />,
    showInNav: false,
  },
  {
    path: "/manage/pathways",
    label: "Pathways",
    group: "Manage",
    visible: can("catalog.read"),
    element: <PathwaysPage />,
  },

  {
    path: "/manage/expert-sessions",
    label: "Expert sessions",
    group: "Manage",
    visible: (user) => can("expertSessions.manage")(user) || can("sessions.readAll")(user),
    element: <StaffExpertSessionsPage />,
  },
  {
    path: "/manage/expert-sessions/new",
    label: "New expert session",
    group: "Manage",
    visible: can("expertSessions.manage"),
    element: <NewExpertSessionPage />,
    showInNav: false,
  },
  {
    path: "/manage/expert-sessions/:expertSessionId/edit",
    label: "Edit expert session",
    group: "Manage",
    visible: can("expertSessions.manage"),
    element: <EditExpertSessionPage />,
    showInNav: false,
  },

  {
    path: "/manage/success-sessions",
    label: "Success sessions",
    group: "Manage",
    visible: can("sessions.readAll"),
    element: <StaffSessionsPage />,
  },
  {
    path: "/manage/attendance",
    label: "Attendance report",
    group: "Manage",
    visible: can("sessions.readAll"),
    element: <AttendanceReportPage />,
  },
  {
    path: "/manage/outbox",
    label: "Email outbox",
    group: "Manage",
    visible: can("notifications.manage"),
    element: <OutboxPage />,
  },

  {
    path: "/manage/coaching-products",
    label: "Coaching products",
    group: "Manage",
    visible: can("coaching.manage"),
    element: <CoachingProductsPage />,
  },
  {
    path: "/manage/coaches",
    label: "Coaches",
    group: "Manage",
    visible: canReadAllCoachSchedules,
    element: <CoachesPage />,
  },
  {
    path: "/manage/coaches/:coachId",
    label: "Coach",
    group: "Manage",
    visible: canReadAllCoachSchedules,
    element: <CoachDetailPage />,
    showInNav: false,
  },
  {
    path: "/manage/discord",
    label: "Discord",
    group: "Manage",
    visible: can("discord.manage"),
    element: <DiscordDashboardPage />,
  },

  // Coaching (coaches; staff manage coaches under Manage › Coaches)
  {
    path: "/coaching/coach",
    label: "Coaching sessions",
    group: "Coaching",
    visible: both(hasAnyRole("coach"), can("coaching.coach")),
    element: <CoachSessionsPage />,
    home: 15,
  },
  {
    path: "/coaching/availability",
    label: "Availability",
    group: "Coaching",
    visible: both(hasAnyRole("coach"), can("coaching.coach")),
    element: <AvailabilityPage />,
  },

  // Admin (superadmins)
  {
    path: "/admin/roles",
    label: "Roles",
    group: "Admin",
    visible: can("roles.manage"),
    element: <AdminRolesPage />,
  },

  // Account (everyone)
  {
    path: "/profile",
    label: "Profile",
    group: "Account",
    visible: anySignedInUser,
    element: <ProfilePage />,
    home: 1000,
  },
];

/** The routes `user` may open, in registry order. */
export function visibleRoutes(user: WithRoles, routes: readonly AppRoute[] = appRoutes): AppRoute[] {
  return routes.filter((route) => route.visible(user));
}

/** The routes listed in `user`'s menu (visible, not detail pages, and their `listedWhen` holds). */
export function listedRoutes(
  user: WithRoles,
  routes: readonly AppRoute[] = appRoutes,
  facts?: NavigationFacts,
): AppRoute[] {
  return visibleRoutes(user, routes).filter(
    (route) => route.showInNav !== false && (route.listedWhen === undefined || (facts !== undefined && route.listedWhen(facts))),
  );
}

/** The navbar for `user`: each section with its visible, listed routes; empty sections dropped. */
export function navigationFor(
  user: WithRoles,
  routes: readonly AppRoute[] = appRoutes,
  facts?: NavigationFacts,
): { group: NavGroup; routes: AppRoute[] }[] {
  const listed = listedRoutes(user, routes, facts);
  return NAV_GROUPS.map((group) => ({ group, routes: listed.filter((route) => route.group === group) })).filter(
    (section) => section.routes.length > 0,
  );
}

/** True when `pathname` is `path` or one of its sub-pages. */
function isUnder(pathname: string, path: string): boolean {
  return pathname === path || pathname.startsWith(`${path}/`);
}

/**
 * The path of the ONE menu item that is active on `pathname`: the page itself when it is listed,
 * else its `navParent`, else the listed page whose path is the longest prefix of `pathname`
 * (`/manage/courses/abc` → Courses; `/coaching/coach` → "Coaching sessions", not the students'
 * `/coaching`). Null when no listed page fits (the home redirect, "not found").
 */
export function activeNavPath(
  pathname: string,
  user: WithRoles,
  routes: readonly AppRoute[] = appRoutes,
  facts?: NavigationFacts,
): string | null {
  const listed = listedRoutes(user, routes, facts);
  if (listed.some((route) => route.path === pathname)) return pathname;
  const current = visibleRoutes(user, routes).find((route) => matchPath(route.path, pathname) !== null);
  if (current?.navParent !== undefined) {
    const parent = typeof current.navParent === "string" ? current.navParent : current.navParent(user);
    if (listed.some((route) => route.path === parent)) return parent;
  }
  const prefixes = listed.filter((route) => isUnder(pathname, route.path)).sort((a, b) => b.path.length - a.path.length);
  return prefixes[0]?.path ?? null;
}

/** Where "/" sends `user`: the visible route with the lowest `home`, or null (then Home shows links). */
export function homePathFor(user: WithRoles, routes: readonly AppRoute[] = appRoutes): string | null {
  const candidates = visibleRoutes(user, routes).filter((route) => route.home !== undefined && !route.path.includes(":"));
  candidates.sort((a, b) => (a.home ?? 0) - (b.home ?? 0));
  return candidates[0]?.path ?? null;
}
