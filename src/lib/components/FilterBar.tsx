import { Box, Button, Collapse } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useId, type ReactNode } from "react";
import { usePhoneLayout } from "./usePhoneLayout";

/**
 * A list's filters. On wide screens they show as given; on phones they fold behind a "Filters"
 * button that says how many are set ("Filters (2)"), so the first rows are in view without
 * scrolling past every field.
 *
 * @param activeCount how many filters differ from their defaults.
 * @param children the filter fields (usually a `SimpleGrid` of selects and date fields).
 */
export function FilterBar({ activeCount, children }: { activeCount: number; children: ReactNode }) {
  const phone = usePhoneLayout();
  const [opened, { toggle }] = useDisclosure(false);
  const panelId = useId();
  if (!phone) return <>{children}</>;
  return (
    <Box mb="md">
      <Button variant="default" onClick={toggle} aria-expanded={opened} aria-controls={panelId} fullWidth>
        {activeCount > 0 ? `Filters (${activeCount})` : "Filters"}
      </Button>
      <Collapse expanded={opened} id={panelId}>
        <Box pt="sm">{children}</Box>
      </Collapse>
    </Box>
  );
}
