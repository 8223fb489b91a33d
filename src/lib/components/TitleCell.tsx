import { Anchor, Text, type MantineSize } from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "react-router";

/**
 * The main cell of a table row: the row's title, in bold unless `plain` (a link when `to` is given)
 * and, when there is one, a dimmed line under it (a description, an email, a note).
 *
 * @param title the bold line.
 * @param to the route path the title links to; without it the title is plain text.
 * @param size the title's font size (Mantine's default, the body size, when left out).
 * @param plain the title in the normal weight (lists of people where nothing is a heading).
 * @param detail the dimmed line under the title; nothing is shown when it is empty.
 * @param detailLines cut the detail after this many lines (for long descriptions).
 */
export function TitleCell({
  title,
  to,
  size,
  plain = false,
  detail,
  detailLines,
}: {
  title: ReactNode;
  to?: string;
  size?: MantineSize;
  plain?: boolean;
  detail?: ReactNode;
  detailLines?: number;
}) {
  return (
    <>
      {to === undefined ? (
        <Text fw={plain ? undefined : 500} size={size}>
          {title}
        </Text>
      ) : (
        <Anchor component={Link} to={to} fw={plain ? undefined : 500} size={size}>
          {title}
        </Anchor>
      )}
      {detail ? (
        <Text size="xs" c="dimmed" lineClamp={detailLines}>
          {detail}
        </Text>
      ) : null}
    </>
  );
}
