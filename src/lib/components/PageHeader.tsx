import { Anchor, Box, Breadcrumbs, Group, Stack, Text, Title } from "@mantine/core";
import { useEffect, type ReactNode } from "react";
import { Link } from "react-router";

/**
 * The top of every page: an `h1` title (also the document title), an optional description (after
 * `badges` such as a status, on one line), breadcrumbs back to the parent list, and actions on the
 * right (they wrap below on phones).
 */
export function PageHeader({
  title,
  description,
  badges,
  actions,
  breadcrumbs,
}: {
  title: string;
  description?: ReactNode;
  /** Badges at the start of the description line, e.g. the document's status. */
  badges?: ReactNode;
  actions?: ReactNode;
  /** Parent pages, e.g. `[{ label: "Courses", to: "/manage/courses" }]`. */
  breadcrumbs?: { label: string; to: string }[];
}) {
  useEffect(() => {
    document.title = `${title} · Sessions Hub`;
  }, [title]);
  return (
    <Stack gap="xs" mb="lg">
      {breadcrumbs && breadcrumbs.length > 0 ? (
        // Mantine's Breadcrumbs is a plain div, where a name is ignored: the nav landmark carries it.
        <Box component="nav" aria-label="Breadcrumb">
          <Breadcrumbs>
            {breadcrumbs.map((crumb) => (
              <Anchor key={crumb.to} component={Link} to={crumb.to} size="sm">
                {crumb.label}
              </Anchor>
            ))}
            <Text size="sm" c="dimmed" aria-current="page">
              {title}
            </Text>
          </Breadcrumbs>
        </Box>
      ) : null}
      <Group justify="space-between" align="flex-start" gap="sm">
        <Box style={{ flex: "1 1 16rem", minWidth: 0 }}>
          <Title order={1} size="h2">
            {title}
          </Title>
          {description !== undefined || badges !== undefined ? (
            <Text c="dimmed" size="sm" mt={4} component="div">
              {badges === undefined ? (
                description
              ) : (
                <Group gap="xs" component="span">
                  {badges}
                  {description ? <span>{description}</span> : null}
                </Group>
              )}
            </Text>
          ) : null}
        </Box>
        {actions !== undefined ? <Group gap="xs">{actions}</Group> : null}
      </Group>
    </Stack>
  );
}
