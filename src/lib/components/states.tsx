import { Alert, Button, Center, EmptyState as MantineEmptyState, Group, Loader, Stack, Text } from "@mantine/core";
import { Component, type ErrorInfo, type ReactNode } from "react";
import { errorCode, errorMessage } from "../errors";

/**
 * The three non-happy states every page shows the same way: loading, empty and error. Pages:
 *
 *   const courses = useQuery(api.catalog.listCourses, {});
 *   if (courses === undefined) return <LoadingState label="Loading courses…" />;
 *   if (courses.length === 0) return <EmptyState title="No courses yet" action={…} />;
 *
 * Query errors are thrown by `useQuery` during render; the app shell wraps every page in a
 * {@link QueryBoundary}, which shows {@link ErrorState} with the server's message. Wrap a part of a
 * page in its own `QueryBoundary` when the rest should stay usable if that part fails.
 */

/** A spinner with a text for screen readers and people ("Loading courses…"). */
export function LoadingState({ label = "Loading…" }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader size="md" aria-hidden />
        <Text c="dimmed" size="sm">
          {label}
        </Text>
      </Stack>
    </Center>
  );
}

/** "Nothing here yet" with an optional explanation and action (e.g. a "New course" button). */
export function EmptyState({
  title,
  description,
  action,
}: {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <MantineEmptyState py="xl" title={title} description={description}>
      {action !== undefined ? <MantineEmptyState.Actions>{action}</MantineEmptyState.Actions> : null}
    </MantineEmptyState>
  );
}

/**
 * A failed load or action, told with {@link errorMessage} (never a stack trace).
 * @param error the thrown value (ConvexError or anything else).
 * @param message overrides the text derived from `error`.
 * @param onRetry shows a "Try again" button.
 */
export function ErrorState({
  error,
  title,
  message,
  onRetry,
}: {
  error: unknown;
  title?: string;
  message?: string;
  onRetry?: () => void;
}) {
  const code = errorCode(error);
  const heading =
    title ??
    (code === "NOT_FOUND"
      ? "Not found"
      : code === "FORBIDDEN"
        ? "Not allowed"
        : code === "UNAUTHENTICATED"
          ? "Signed out"
          : "Something went wrong");
  return (
    <Alert color="red" title={heading} role="alert" my="md">
      <Stack gap="sm">
        <Text size="sm">{message ?? errorMessage(error)}</Text>
        {onRetry ? (
          <Group>
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              Try again
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Alert>
  );
}

type QueryBoundaryProps = {
  children: ReactNode;
  /** Replaces the default {@link ErrorState}. */
  fallback?: (error: unknown, reset: () => void) => ReactNode;
  /** When any of these change (e.g. the route), a shown error is cleared. */
  resetKeys?: readonly unknown[];
};

/**
 * Error boundary for Convex queries: `useQuery` throws the server's error during render; this
 * catches it and shows {@link ErrorState} with a "Try again" button instead of a blank page.
 */
export class QueryBoundary extends Component<QueryBoundaryProps, { error: unknown; failed: boolean }> {
  state = { error: null as unknown, failed: false };

  static getDerivedStateFromError(error: unknown) {
    return { error, failed: true };
  }

  componentDidUpdate(previous: QueryBoundaryProps) {
    if (this.state.failed && !sameKeys(previous.resetKeys, this.props.resetKeys)) this.reset();
  }

  componentDidCatch(error: unknown, info: ErrorInfo) {
    // Expected failures (our ConvexErrors) are shown to the user; keep the console for real bugs.
    if (errorCode(error) === null) console.error("Page failed to render", error, info.componentStack);
  }

  reset = () => this.setState({ error: null, failed: false });

  render() {
    if (!this.state.failed) return this.props.children;
    return this.props.fallback ? (
      this.props.fallback(this.state.error, this.reset)
    ) : (
      <ErrorState error={this.state.error} onRetry={this.reset} />
    );
  }
}

function sameKeys(a: readonly unknown[] = [], b: readonly unknown[] = []): boolean {
  return a.length === b.length && a.every((value, index) => Object.is(value, b[index]));
}
