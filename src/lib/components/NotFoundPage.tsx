import { PageHeader } from "./PageHeader";
import { EmptyState } from "./states";

/**
 * What a page about one document shows when the document does not exist or is not the viewer's:
 * its header ("Session not found") with the breadcrumbs back, and why in an {@link EmptyState}.
 *
 * @param title the page title, e.g. "Expert session not found".
 * @param breadcrumbs the pages to go back to (as in {@link PageHeader}).
 * @param message the empty state's heading, e.g. "This expert session does not exist".
 * @param description what may have happened, e.g. "It may have been deleted.".
 */
export function NotFoundPage({
  title,
  breadcrumbs,
  message,
  description,
}: {
  title: string;
  breadcrumbs: { label: string; to: string }[];
  message: string;
  description: string;
}) {
  return (
    <>
      <PageHeader title={title} breadcrumbs={breadcrumbs} />
      <EmptyState title={message} description={description} />
    </>
  );
}
