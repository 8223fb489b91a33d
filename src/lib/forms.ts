import { schemaResolver } from "@mantine/form";
import type { z } from "zod";
import { errorField, errorMessage } from "./errors";
import { notifySuccess } from "./notify";

/**
 * Forms: @mantine/form validated by a zod schema, with server errors shown by their message.
 *
 *   const schema = z.object({ title: z.string().trim().min(1, "Title is required.") });
 *   const form = useForm({ initialValues: { title: "" }, validate: zodValidate(schema) });
 *   const submit = form.onSubmit(async (values) => {
 *     if (await submitWith(form, () => createCourse(values), { fields: FIELDS, success: "Course created." })) onDone();
 *   });
 *
 * The server checks everything again; `applyServerError` puts the server's message under the field
 * it names (`details.field`, e.g. "Title") or, for other errors, on the form's root.
 */

/** A synchronous @mantine/form `validate` function from a zod schema (Standard Schema). */
export function zodValidate(schema: z.ZodType) {
  return schemaResolver(schema, { sync: true });
}

/** The key under which a form's non-field error is stored (`form.errors[FORM_ERROR]`). */
export const FORM_ERROR = "_form";

/** The subset of a @mantine/form form that {@link applyServerError} needs. */
type FormWithErrors = { setFieldError: (path: string, error: string) => void };

/**
 * Shows a failed call's message on the form.
 * @param fieldsByServerName maps the server's field label ("Title") to the form path ("title").
 */
export function applyServerError(
  form: FormWithErrors,
  error: unknown,
  fieldsByServerName: Record<string, string> = {},
): void {
  const field = errorField(error);
  const path = field !== null ? fieldsByServerName[field] : undefined;
  form.setFieldError(path ?? FORM_ERROR, errorMessage(error));
}

/**
 * Runs a form's server call: on success shows `options.success` (if given) as a notification and
 * resolves true; on failure shows the error on the form ({@link applyServerError}) and resolves false.
 * @param options.fields maps the server's field label ("Title") to the form path ("title").
 */
export async function submitWith(
  form: FormWithErrors,
  call: () => Promise<unknown>,
  options: { fields?: Record<string, string>; success?: string } = {},
): Promise<boolean> {
  try {
    await call();
  } catch (error) {
    applyServerError(form, error, options.fields);
    return false;
  }
  if (options.success) notifySuccess(options.success);
  return true;
}
