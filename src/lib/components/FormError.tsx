import { Alert } from "@mantine/core";
import { FORM_ERROR } from "../forms";

/** The form-level error (a server error that names no field), shown above the form's buttons. */
export function FormError({ errors }: { errors: Record<string, unknown> }) {
  const message = errors[FORM_ERROR];
  if (typeof message !== "string" && typeof message !== "number") return null;
  return <ErrorAlert error={message} />;
}

/**
 * An error that stops a form or panel from saving, in a red box above its buttons and announced to
 * screen readers; nothing while `error` is null.
 */
export function ErrorAlert({ error }: { error: string | number | null }) {
  if (error === null) return null;
  return (
    <Alert color="red" role="alert" variant="light" p="xs">
      {error}
    </Alert>
  );
}
