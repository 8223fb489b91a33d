import { Alert } from "@mantine/core";
import { FORM_ERROR } from "../forms";

/** The form-level error (a server error that names no field), shown above the form's buttons. */
export function FormError({ errors }: { errors: Record<string, unknown> }) {
  const message = errors[FORM_ERROR];
  if (typeof message !== "string" && typeof message !== "number") return null;
  return (
    <Alert color="red" role="alert" variant="light" p="xs">
      {message}
    </Alert>
  );
}
