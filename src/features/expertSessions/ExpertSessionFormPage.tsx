import { MultiSelect, Paper, Stack, Switch, Text, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useEffect, useRef, useState } from "react";
import { useNavigate, useParams } from "react-router";
import { z } from "zod";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { FormFooter } from "../../lib/components/FormFooter";
import { PageHeader } from "../../lib/components/PageHeader";
import { LoadingState } from "../../lib/components/states";
import { errorMessage } from "../../lib/errors";
import { applyServerError, zodValidate } from "../../lib/forms";
import { notifySuccess } from "../../lib/notify";
import { CaptionsSection, captionsToSave, useCaptionsUpload } from "./CaptionsSection";
import { canonicalLanguageTag, CAPTIONS_LANGUAGE_PROBLEM, DEFAULT_CAPTIONS_LANGUAGE } from "./captionsFiles";
import { formatBytes, formatDuration, readVideoDuration, uploadFile, videoFileProblem } from "./videoFiles";
import { UploadInput } from "./ExpertSessionParts";
import { NotFoundPage } from "../../lib/components/NotFoundPage";
import { ErrorAlert } from "../../lib/components/FormError";

type StaffDetail = NonNullable<FunctionReturnType<typeof api.expertSessions.getForStaff>>;

export const expertSessionFormSchema = z.object({
  title: z.string().trim().min(1, "Title is required.").max(200, "Title must be at most 200 characters."),
  description: z.string().trim().max(5000, "Description must be at most 5000 characters."),
  productIds: z.array(z.string()).min(1, "Choose at least one product."),
  active: z.boolean(),
});

/** Where the chosen video is: nothing chosen, being read or uploaded, uploaded, or failed. */
type Upload =
  | { state: "none" }
  | { state: "uploading"; fileName: string; fraction: number }
  | { state: "uploaded"; fileName: string; size: number; storageId: Id<"_storage">; durationSeconds: number }
  | { state: "failed"; message: string };

const LIST_PATH = "/manage/expert-sessions";
const BREADCRUMBS = [{ label: "Expert sessions", to: LIST_PATH }];

/** "New expert session" (`/manage/expert-sessions/new`). Admins. */
export function NewExpertSessionPage() {
  return (
    <>
      <PageHeader title="New expert session" breadcrumbs={BREADCRUMBS} />
      <ExpertSessionForm />
    </>
  );
}

/** "Edit expert session" (`/manage/expert-sessions/:expertSessionId/edit`). Admins. */
export function EditExpertSessionPage() {
  const { expertSessionId } = useParams();
  const session = useQuery(api.expertSessions.getForStaff, { expertSessionId: expertSessionId as Id<"expertSessions"> });
  if (session === undefined) return <LoadingState label="Loading expert session…" />;
  if (session === null) {
    return (
      <NotFoundPage
        title="Expert session not found"
        breadcrumbs={BREADCRUMBS}
        message="This expert session does not exist"
        description="It may have been deleted."
      />
    );
  }
  return (
    <>
      <PageHeader title={`Edit “${session.title}”`} breadcrumbs={BREADCRUMBS} />
      <ExpertSessionForm session={session} />
    </>
  );
}

/**
 * The create/edit form: title, description, products (one or more), video upload with a progress
 * bar (type and size checked before uploading; the server checks again on save), WebVTT captions
 * (attach, replace, remove, language) and visibility. Saving is one mutation, so the session, its
 * files and its product links change together or not at all.
 */
export function ExpertSessionForm({ session }: { session?: StaffDetail }) {
  const products = useQuery(api.catalog.listProducts, { includeArchived: true });
  const generateUploadUrl = useMutation(api.expertSessions.generateUploadUrl);
  const create = useMutation(api.expertSessions.create);
  const update = useMutation(api.expertSessions.update);
  const navigate = useNavigate();
  const captions = useCaptionsUpload();
  const currentCaptions = session?.captions ?? null;
  const [upload, setUpload] = useState<Upload>({ state: "none" });
  const [file, setFile] = useState<File | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const form = useForm({
    initialValues: {
      title: session?.title ?? "",
      description: session?.description ?? "",
      productIds: (session?.productIds ?? []) as string[],
      active: session?.active ?? false,
      captionsLanguage: session?.captions?.language ?? DEFAULT_CAPTIONS_LANGUAGE,
    },
    validate: zodValidate(expertSessionFormSchema),
  });

  const hasVideo = upload.state === "uploaded" || (session?.hasVideo ?? false);
  const uploading = upload.state === "uploading" || captions.busy;

  const chooseFile = async (chosen: File | null) => {
    abort.current?.abort();
    setFile(chosen);
    if (chosen === null) {
      setUpload({ state: "none" });
      return;
    }
    const problem = videoFileProblem(chosen);
    if (problem !== null) {
      setUpload({ state: "failed", message: problem });
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    setUpload({ state: "uploading", fileName: chosen.name, fraction: 0 });
    try {
      const durationSeconds = await readVideoDuration(chosen);
      const uploadUrl = await generateUploadUrl({});
      const storageId = await uploadFile(
        uploadUrl,
        chosen,
        (fraction) => {
          if (!controller.signal.aborted) setUpload({ state: "uploading", fileName: chosen.name, fraction });
        },
        controller.signal,
      );
      if (!controller.signal.aborted) {
        setUpload({ state: "uploaded", fileName: chosen.name, size: chosen.size, storageId, durationSeconds });
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      setUpload({ state: "failed", message: error instanceof Error && !("data" in error) ? error.message : errorMessage(error) });
    }
  };

  const submit = form.onSubmit(async (values) => {
    const clean = expertSessionFormSchema.parse(values);
    const captionsInput = captionsToSave(currentCaptions, captions, values.captionsLanguage);
    if (captionsInput && canonicalLanguageTag(captionsInput.language) === null) {
      form.setFieldError("captionsLanguage", CAPTIONS_LANGUAGE_PROBLEM);
      return;
    }
    const fields = {
      title: clean.title,
      description: clean.description,
      productIds: clean.productIds as Id<"products">[],
      active: clean.active,
      ...(upload.state === "uploaded"
        ? { video: { storageId: upload.storageId, durationSeconds: upload.durationSeconds } }
        : {}),
      ...(captionsInput !== undefined ? { captions: captionsInput } : {}),
    };
    try {
      if (session) await update({ expertSessionId: session._id, ...fields });
      else await create(fields);
      notifySuccess(session ? "Expert session saved." : `Expert session "${clean.title}" created.`);
      void navigate(LIST_PATH);
    } catch (error) {
      applyServerError(form, error, {
        Title: "title",
        Description: "description",
        productIds: "productIds",
        active: "active",
        video: "video",
        captions: "captions",
        captionsLanguage: "captionsLanguage",
      });
    }
  });

  // Active products to choose from, plus archived ones the session is already linked to.
  const productOptions = (products ?? [])
    .filter((product) => product.status === "active" || form.values.productIds.includes(product._id))
    .map((product) => ({ value: product._id, label: product.status === "active" ? product.title : `${product.title} (archived)` }));
  const videoError = typeof form.errors.video === "string" ? form.errors.video : null;
  const captionsError = typeof form.errors.captions === "string" ? form.errors.captions : null;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md" maw={680}>
        <TextInput label="Title" withAsterisk {...form.getInputProps("title")} />
        <Textarea label="Description" autosize minRows={3} {...form.getInputProps("description")} />
        <MultiSelect
          label="Products"
          description="Students with any of these products see the session."
          placeholder={products === undefined ? "Loading products…" : "Choose one or more products"}
          withAsterisk
          searchable
          data={productOptions}
          {...form.getInputProps("productIds")}
        />

        <Paper withBorder p="md">
          <Stack gap="xs">
            <Text fw={500} size="sm">
              Video
            </Text>
            {session?.hasVideo && upload.state !== "uploaded" ? (
              <Text size="sm" c="dimmed">
                Current video: {session.durationSeconds !== undefined ? formatDuration(session.durationSeconds) : "unknown length"}
                {session.videoSize !== undefined ? ` · ${formatBytes(session.videoSize)}` : ""}. Choose a file to replace it.
              </Text>
            ) : !hasVideo ? (
              <Text size="sm" c="dimmed">
                Video not uploaded yet.
              </Text>
            ) : null}
            <UploadInput
              label={session?.hasVideo ? "Replace video" : "Video file"}
              description="MP4, WebM or another video format, up to 2 GB."
              placeholder="Choose a video file"
              accept="video/*"
              value={file}
              onChoose={chooseFile}
              upload={upload}
              problem={videoError}
              clearLabel="Clear the chosen video file"
              progressLabel="Upload progress"
            />
            {upload.state === "uploaded" ? (
              <Text size="sm" c="teal" aria-live="polite">
                Uploaded {upload.fileName} ({formatBytes(upload.size)}, {formatDuration(upload.durationSeconds)}). Save to use it.
              </Text>
            ) : null}
          </Stack>
        </Paper>

        <CaptionsSection
          current={currentCaptions}
          captions={captions}
          language={form.values.captionsLanguage}
          languageInput={form.getInputProps("captionsLanguage")}
          error={captionsError}
        />

        <Switch
          label="Visible to students"
          description={hasVideo ? "Students of the chosen products can watch it." : "Upload a video before publishing."}
          disabled={!hasVideo}
          {...form.getInputProps("active", { type: "checkbox" })}
        />
        <ErrorAlert error={typeof form.errors.active === "string" ? form.errors.active : null} />
        <FormFooter form={form} submitLabel={session ? "Save" : "Create expert session"} onCancel={() => void navigate(LIST_PATH)} submitDisabled={uploading} />
      </Stack>
    </form>
  );
}
