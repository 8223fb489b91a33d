import { Anchor, List, Text } from "@mantine/core";
import { Link, Navigate } from "react-router";
import { PageHeader } from "../lib/components/PageHeader";
import { useViewer } from "../lib/useViewer";
import { appRoutes, homePathFor, navigationFor, type AppRoute } from "./routes";

/**
 * "/": sends each user to the most useful page for their roles (the visible route with the lowest
 * `home` in the registry: staff → Courses, students → their learning pages). Without one, a welcome
 * page lists every area they can open.
 */
export function HomePage({ routes = appRoutes }: { routes?: readonly AppRoute[] }) {
  const { user } = useViewer();
  const target = homePathFor(user, routes);
  if (target !== null) return <Navigate to={target} replace />;
  const sections = navigationFor(user, routes);
  return (
    <>
      <PageHeader title={`Welcome, ${user.name}`} />
      <Text mb="md">Here is what you can open:</Text>
      <List spacing="xs">
        {sections.flatMap((section) =>
          section.routes.map((route) => (
            <List.Item key={route.path}>
              <Anchor component={Link} to={route.path}>
                {route.label}
              </Anchor>{" "}
              <Text span c="dimmed" size="sm">
                ({section.group})
              </Text>
            </List.Item>
          )),
        )}
      </List>
    </>
  );
}
