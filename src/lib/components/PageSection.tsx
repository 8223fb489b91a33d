import { Title } from "@mantine/core";
import { useId, type ReactNode } from "react";

/**
 * A titled part of a page ("Today", "Capacity"): a `section` named by its `h2` heading, so screen
 * readers list it as a region and tests find it by that name.
 */
export function PageSection({ title, children }: { title: ReactNode; children: ReactNode }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId} mb="sm">
        {title}
      </Title>
      {children}
    </section>
  );
}
