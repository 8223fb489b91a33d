import { DialogButtons } from "./DialogButtons";
import { FormError } from "./FormError";

/**
 * The end of a create/edit form: its form-level error ({@link FormError}), then "Cancel" and the
 * submit button on the right. While the form submits, the submit button spins and Cancel is off.
 *
 * @param form the Mantine form (`useForm`), for its errors and whether it is submitting.
 * @param submitLabel the submit button's text ("Save", "Create course").
 * @param onCancel closes the form without saving.
 * @param submitDisabled keeps the submit button off (e.g. while a file still uploads).
 */
export function FormFooter({
  form,
  submitLabel,
  onCancel,
  submitDisabled,
}: {
  form: { errors: Record<string, unknown>; submitting: boolean };
  submitLabel: string;
  onCancel: () => void;
  submitDisabled?: boolean;
}) {
  return (
    <>
      <FormError errors={form.errors} />
      <DialogButtons onCancel={onCancel} confirmLabel={submitLabel} running={form.submitting} confirmDisabled={submitDisabled} />
    </>
  );
}
