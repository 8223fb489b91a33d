import { Stack } from "@mantine/core";
import { PageHeader } from "../../lib/components/PageHeader";
import { QueryBoundary } from "../../lib/components/states";
import { BookingPanel } from "./BookingPanel";
import { MyCoachingSessions } from "./MyCoachingSessions";
import { PageSection } from "../../lib/components/PageSection";

/**
 * Student "Coaching" page (`/coaching`): their coaching sessions first (what a returning student
 * looks for), then booking a new one. Each part has its own error boundary so a failure in one
 * leaves the other usable.
 */
export function StudentCoachingPage() {
  return (
    <>
      <PageHeader
        title="Coaching"
        description="Book 1:1 sessions with a coach. Each session gets its own private Discord voice channel. Times are in your time zone; hover a time to see it in other zones."
      />
      <Stack gap="xl">
        <QueryBoundary>
          <MyCoachingSessions />
        </QueryBoundary>
        <PageSection title="Book a session">
          <QueryBoundary>
            <BookingPanel />
          </QueryBoundary>
        </PageSection>
      </Stack>
    </>
  );
}
