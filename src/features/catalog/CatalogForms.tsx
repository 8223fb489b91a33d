import { DayInput } from "../../lib/components/DayInput";
import { MultiSelect, Select, Stack, Textarea, TextInput } from "@mantine/core";
import { useForm, type GetInputPropsReturnType, type UseFormReturnType } from "@mantine/form";
import { useMutation, useQuery } from "convex/react";
import { z } from "zod";
import { api } from "../../../convex/_generated/api";
import type { Doc, Id } from "../../../convex/_generated/dataModel";
import { FormFooter } from "../../lib/components/FormFooter";
import { FormModal, type FormModalProps } from "../../lib/components/FormModal";
import { submitWith, zodValidate } from "../../lib/forms";
import { dayInZone, startOfDayInZone } from "../../lib/time";
import { useViewer } from "../../lib/useViewer";

/**
 * Create/edit dialogs of the catalog (courses, batches, products, pathways). Each validates with a
 * zod schema before calling the server (the same limits as `convex/model/validation.ts`), and shows
 * the server's own message under the field it names, or above the buttons.
 */

const title = z
  .string()
  .trim()
  .min(1, "Title is required.")
  .max(200, "Title must be at most 200 characters.");
const description = z.string().trim().max(5000, "Description must be at most 5000 characters.");

const courseSchema = z.object({ title, description });
const productSchema = z.object({
  title,
  description,
  kind: z.enum(["job_readiness", "coaching", "other"], { message: "Choose a kind." }),
});
const batchSchema = z.object({
  name: z.string().trim().min(1, "Batch name is required.").max(100, "Batch name must be at most 100 characters."),
  startDate: z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, "Enter a date such as 2025-03-03."),
});
const pathwaySchema = z.object({ title, description, courseIds: z.array(z.string()) });

/** Product kinds with labels, for selects and badges. */
export const PRODUCT_KIND_OPTIONS = [
  { value: "job_readiness", label: "Job readiness" },
  { value: "coaching", label: "Coaching" },
  { value: "other", label: "Other" },
] as const;

const TEXT_FIELDS = { Title: "title", Description: "description" };

/**
 * The submit handler of a catalog dialog: checks the values with `schema`, saves the cleaned values
 * (`save`: the update while `editing`, the create otherwise), tells "Course saved." or
 * `Course "Web Development" created.` (the `title`, or a batch's `name`) and closes the dialog
 * (`onDone`). A server error stays in the form, under the field it names (`fields` maps the server's
 * field label to the form path) or above the buttons.
 */
function submitCatalogForm<Values, Clean extends { title: string } | { name: string }>(
  form: UseFormReturnType<Values>,
  schema: z.ZodType<Clean>,
  options: {
    noun: string;
    editing: boolean;
    save: (clean: Clean) => Promise<unknown>;
    fields: Record<string, string>;
    onDone: () => void;
  },
) {
  return form.onSubmit(async (values) => {
    const clean = schema.parse(values);
    const name = "title" in clean ? clean.title : clean.name;
    const success = options.editing ? `${options.noun} saved.` : `${options.noun} "${name}" created.`;
    if (await submitWith(form, () => options.save(clean), { fields: options.fields, success })) options.onDone();
  });
}

/** The title (focused first) and description inputs that start the course, product and pathway forms. */
function TitleAndDescriptionInputs({
  form,
  descriptionRows,
}: {
  form: { getInputProps: (path: "title" | "description") => GetInputPropsReturnType };
  descriptionRows: number;
}) {
  return (
    <>
      <TextInput label="Title" withAsterisk data-autofocus {...form.getInputProps("title")} />
      <Textarea label="Description" autosize minRows={descriptionRows} {...form.getInputProps("description")} />
    </>
  );
}


/** "New course" / "Edit course" dialog. `course` given → edit. */
export function CourseFormModal({ course, ...modal }: FormModalProps & { course?: Doc<"courses"> }) {
  return (
    <FormModal {...modal} title={course ? "Edit course" : "New course"}>
      <CourseForm course={course} onDone={modal.onClose} />
    </FormModal>
  );
}

function CourseForm({ course, onDone }: { course?: Doc<"courses">; onDone: () => void }) {
  const createCourse = useMutation(api.catalog.createCourse);
  const updateCourse = useMutation(api.catalog.updateCourse);
  const form = useForm({
    initialValues: { title: course?.title ?? "", description: course?.description ?? "" },
    validate: zodValidate(courseSchema),
  });
  const submit = submitCatalogForm(form, courseSchema, {
    noun: "Course",
    editing: course !== undefined,
    save: (clean) => (course ? updateCourse({ courseId: course._id, ...clean }) : createCourse(clean)),
    fields: TEXT_FIELDS,
    onDone,
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TitleAndDescriptionInputs form={form} descriptionRows={3} />
        <FormFooter form={form} submitLabel={course ? "Save" : "Create course"} onCancel={onDone} />
      </Stack>
    </form>
  );
}

/** "New product" / "Edit product" dialog. `product` given → edit. */
export function ProductFormModal({ product, ...modal }: FormModalProps & { product?: Doc<"products"> }) {
  return (
    <FormModal {...modal} title={product ? "Edit product" : "New product"}>
      <ProductForm product={product} onDone={modal.onClose} />
    </FormModal>
  );
}

function ProductForm({ product, onDone }: { product?: Doc<"products">; onDone: () => void }) {
  const createProduct = useMutation(api.catalog.createProduct);
  const updateProduct = useMutation(api.catalog.updateProduct);
  const form = useForm<{ title: string; description: string; kind: string }>({
    initialValues: { title: product?.title ?? "", description: product?.description ?? "", kind: product?.kind ?? "" },
    validate: zodValidate(productSchema),
  });
  const submit = submitCatalogForm(form, productSchema, {
    noun: "Product",
    editing: product !== undefined,
    save: (clean) => (product ? updateProduct({ productId: product._id, ...clean }) : createProduct(clean)),
    fields: { ...TEXT_FIELDS, Kind: "kind" },
    onDone,
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TitleAndDescriptionInputs form={form} descriptionRows={3} />
        <Select
          label="Kind"
          withAsterisk
          placeholder="Choose a kind"
          data={PRODUCT_KIND_OPTIONS.map((option) => ({ ...option }))}
          {...form.getInputProps("kind")}
        />
        <FormFooter form={form} submitLabel={product ? "Save" : "Create product"} onCancel={onDone} />
      </Stack>
    </form>
  );
}

/** "New batch" / "Edit batch" dialog for a course. `batch` given → edit (rename, start date). */
export function BatchFormModal({ courseId, batch, ...modal }: FormModalProps & { courseId: Id<"courses">; batch?: Doc<"batches"> }) {
  return (
    <FormModal {...modal} title={batch ? "Edit batch" : "New batch"}>
      <BatchForm courseId={courseId} batch={batch} onDone={modal.onClose} />
    </FormModal>
  );
}

function BatchForm({ courseId, batch, onDone }: { courseId: Id<"courses">; batch?: Doc<"batches">; onDone: () => void }) {
  const { timeZone } = useViewer();
  const createBatch = useMutation(api.catalog.createBatch);
  const updateBatch = useMutation(api.catalog.updateBatch);
  const form = useForm({
    initialValues: {
      name: batch?.name ?? "",
      startDate: batch?.startDate !== undefined ? dayInZone(batch.startDate, timeZone) : "",
    },
    validate: zodValidate(batchSchema),
  });
  const submit = submitCatalogForm(form, batchSchema, {
    noun: "Batch",
    editing: batch !== undefined,
    save: (clean) => {
      const startDate = clean.startDate === "" ? undefined : startOfDayInZone(clean.startDate, timeZone);
      return batch
        ? updateBatch({ batchId: batch._id, name: clean.name, startDate: startDate ?? null })
        : createBatch({ courseId, name: clean.name, ...(startDate !== undefined ? { startDate } : {}) });
    },
    fields: { "Batch name": "name", name: "name" },
    onDone,
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput label="Batch name" placeholder="Batch 12" withAsterisk data-autofocus {...form.getInputProps("name")} />
        <DayInput
          label="Start date"
          description={`Optional. The first day, in ${timeZone}.`}
          clearable
          {...form.getInputProps("startDate")}
        />
        <FormFooter form={form} submitLabel={batch ? "Save" : "Create batch"} onCancel={onDone} />
      </Stack>
    </form>
  );
}

/** "New pathway" dialog: title, description and the courses it groups. */
export function PathwayFormModal(modal: FormModalProps) {
  return (
    <FormModal {...modal} title="New pathway">
      <PathwayForm onDone={modal.onClose} />
    </FormModal>
  );
}

function PathwayForm({ onDone }: { onDone: () => void }) {
  const createPathway = useMutation(api.catalog.createPathway);
  const courses = useQuery(api.catalog.listCourses, {});
  const form = useForm<{ title: string; description: string; courseIds: string[] }>({
    initialValues: { title: "", description: "", courseIds: [] },
    validate: zodValidate(pathwaySchema),
  });
  const submit = submitCatalogForm(form, pathwaySchema, {
    noun: "Pathway",
    editing: false,
    save: (clean) => createPathway({ ...clean, courseIds: clean.courseIds as Id<"courses">[] }),
    fields: TEXT_FIELDS,
    onDone,
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TitleAndDescriptionInputs form={form} descriptionRows={2} />
        <MultiSelect
          label="Courses"
          placeholder={courses === undefined ? "Loading courses…" : "Choose courses"}
          data={(courses ?? []).map((course) => ({ value: course._id, label: course.title }))}
          searchable
          clearable
          {...form.getInputProps("courseIds")}
        />
        <FormFooter form={form} submitLabel="Create pathway" onCancel={onDone} />
      </Stack>
    </form>
  );
}
