import { Anchor, AppShell, Avatar, Burger, Group, NavLink, ScrollArea, Stack, Text, Title, VisuallyHidden } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery } from "convex/react";
import { Suspense, useEffect } from "react";
import { api } from "../../convex/_generated/api";
import { Link, Route, Routes, useLocation } from "react-router";
import { SignOutButton } from "../auth/SignOutButton";
import { LoadingState, QueryBoundary } from "../lib/components/states";
import { useViewer } from "../lib/useViewer";
import { HomePage } from "./HomePage";
import { NotFoundPage } from "./NotFoundPage";
import { activeNavPath, appRoutes, navigationFor, visibleRoutes, type AppRoute } from "./routes";

/** The product's name, shown in the header and document titles. */
const PRODUCT_NAME = "Sessions Hub";

/**
 * The signed-in app: header (product name, the user's name, sign-out), a navbar built from
 * `appRoutes` (only what the user may open, grouped by area; a burger opens it on phones) and the
 * pages. Needs a router and the ViewerGate above it (App.tsx provides both).
 */
export function AppLayout({ routes = appRoutes }: { routes?: readonly AppRoute[] }) {
  const { user } = useViewer();
  const [navbarOpened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  // Students see "Coaching" only with a coaching product; only they need to ask.
  const facts = useQuery(api.schedule.navigationFacts, user.roles.includes("student") ? {} : "skip");
  const sections = navigationFor(user, routes, facts);
  const allowed = visibleRoutes(user, routes);
  const activePath = activeNavPath(location.pathname, user, routes, facts);

  // Close the phone navbar after navigating.
  useEffect(() => {
    close();
  }, [location.pathname, close]);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 260, breakpoint: "sm", collapsed: { mobile: !navbarOpened } }}
      padding="md"
    >
      <AppShell.Header>
        <Anchor
          href="#main-content"
          px="sm"
          py={4}
          style={{ position: "absolute", left: -9999, top: 8, zIndex: 300 }}
          onFocus={(event) => (event.currentTarget.style.left = "8px")}
          onBlur={(event) => (event.currentTarget.style.left = "-9999px")}
        >
          Skip to content
        </Anchor>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navbarOpened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={navbarOpened ? "Close navigation" : "Open navigation"}
              aria-expanded={navbarOpened}
              aria-controls="main-navigation"
            />
            <Anchor component={Link} to="/" underline="never" c="inherit">
              <Title order={2} size="h4">
                {PRODUCT_NAME}
              </Title>
            </Anchor>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Group gap={8} wrap="nowrap" visibleFrom="xs">
              <Avatar src={user.imageUrl ?? null} alt="" size="sm" radius="xl">
                {initials(user.name)}
              </Avatar>
              <Text size="sm" fw={500} truncate maw={200}>
                {user.name}
              </Text>
            </Group>
            <VisuallyHidden>Signed in as {user.name}</VisuallyHidden>
            <SignOutButton size="xs" />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" id="main-navigation" aria-label="Main navigation" component="nav">
        <ScrollArea type="auto" offsetScrollbars>
          <Stack gap="md">
            {sections.map((section) => (
              <div key={section.group} role="group" aria-labelledby={`nav-group-${section.group}`}>
                <Text
                  id={`nav-group-${section.group}`}
                  size="xs"
                  fw={700}
                  c="dimmed"
                  tt="uppercase"
                  px="sm"
                  mb={4}
                >
                  {section.group}
                </Text>
                {section.routes.map((route) => {
                  const active = route.path === activePath;
                  return (
                    <NavLink
                      key={route.path}
                      component={Link}
                      to={route.path}
                      label={route.label}
                      leftSection={route.icon}
                      active={active}
                      aria-current={active ? "page" : undefined}
                    />
                  );
                })}
              </div>
            ))}
          </Stack>
        </ScrollArea>
      </AppShell.Navbar>

      <AppShell.Main id="main-content" tabIndex={-1}>
        <QueryBoundary resetKeys={[location.pathname]}>
          {/* Pages may be React.lazy() components: they load behind this spinner. */}
          <Suspense fallback={<LoadingState label="Loading page…" />}>
            <Routes>
              <Route path="/" element={<HomePage routes={routes} />} />
              {allowed.map((route) => (
                <Route key={route.path} path={route.path} element={route.element} />
              ))}
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </Suspense>
        </QueryBoundary>
      </AppShell.Main>
    </AppShell>
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? "")
    .join("");
}
