import { Anchor, Button, Group, Paper, Stack, Text, TextInput } from "@mantine/core";
import type { GetInputPropsReturnType } from "@mantine/form";
import { useAction, useMutation } from "convex/react";
import { useEffect, useRef, useState } from "react";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { errorMessage } from "../../lib/errors";
import {
  asWebVttUpload,
  CAPTIONS_ACCEPT,
  canonicalLanguageTag,
  captionsContentProblem,
  captionsFileProblem,
  captionsLanguageHint,
  languageName,
} from "./captionsFiles";
import { formatBytes, uploadFile } from "./videoFiles";
import { UploadInput } from "./ExpertSessionParts";

/** The session's attached captions, as `expertSessions.getForStaff` returns them. */
export type CurrentCaptions = { storageId: Id<"_storage">; language: string; url: string | null; size?: number };

/** Where the chosen captions file is: nothing chosen, uploading, being checked by the server, ready, or failed. */
export type CaptionsUpload =
  | { state: "none" }
  | { state: "uploading"; fileName: string; fraction: number }
  | { state: "checking"; fileName: string }
  | { state: "ready"; fileName: string; size: number; storageId: Id<"_storage"> }
  | { state: "failed"; message: string };

/** The captions part of the form's state; see {@link useCaptionsUpload}. */
export type CaptionsState = ReturnType<typeof useCaptionsUpload>;

/**
 * The captions file chosen on the expert session form: checked in the browser (type, size, first
 * line "WEBVTT"), uploaded to Convex file storage with progress, then checked by the server
 * (`expertSessions.checkCaptionsUpload`), which must pass before the save can attach it. Also holds
 * whether staff asked to remove the current captions.
 */
export function useCaptionsUpload() {
  const generateUploadUrl = useMutation(api.expertSessions.generateUploadUrl);
  const checkCaptionsUpload = useAction(api.expertSessions.checkCaptionsUpload);
  const [upload, setUpload] = useState<CaptionsUpload>({ state: "none" });
  const [file, setFile] = useState<File | null>(null);
  const [removing, setRemoving] = useState(false);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const choose = async (chosen: File | null) => {
    abort.current?.abort();
    setFile(chosen);
    if (chosen === null) {
      abort.current = null;
      setUpload({ state: "none" });
      return;
    }
    setRemoving(false);
    const controller = new AbortController();
    abort.current = controller;
    try {
      const problem = captionsFileProblem(chosen) ?? (await captionsContentProblem(chosen));
      if (controller.signal.aborted) return;
      if (problem !== null) {
        setUpload({ state: "failed", message: problem });
        return;
      }
      setUpload({ state: "uploading", fileName: chosen.name, fraction: 0 });
      const uploadUrl = await generateUploadUrl({});
      const storageId = await uploadFile(
        uploadUrl,
        asWebVttUpload(chosen),
        (fraction) => {
          if (!controller.signal.aborted) setUpload({ state: "uploading", fileName: chosen.name, fraction });
        },
        controller.signal,
      );
      if (controller.signal.aborted) return;
      setUpload({ state: "checking", fileName: chosen.name });
      await checkCaptionsUpload({ storageId });
      if (!controller.signal.aborted) setUpload({ state: "ready", fileName: chosen.name, size: chosen.size, storageId });
    } catch (error) {
      if (controller.signal.aborted) return;
      setUpload({ state: "failed", message: error instanceof Error && !("data" in error) ? error.message : errorMessage(error) });
    }
  };

  return {
    upload,
    file,
    removing,
    setRemoving,
    choose,
    /** True while a file is uploading or being checked: saving waits. */
    busy: upload.state === "uploading" || upload.state === "checking",
  };
}

/**
 * The `captions` argument of `create`/`update` for the form's state: a ready upload (with the
 * language), null to remove the current captions, the current file with a changed language, or
 * undefined to leave them as they are.
 * @param language the language field as typed; the caller validates it.
 */
export function captionsToSave(
  current: CurrentCaptions | null,
  captions: Pick<CaptionsState, "upload" | "removing">,
  language: string,
): { storageId: Id<"_storage">; language: string } | null | undefined {
  if (captions.upload.state === "ready") return { storageId: captions.upload.storageId, language };
  if (current === null) return undefined;
  if (captions.removing) return null;
  if (canonicalLanguageTag(language) !== current.language) return { storageId: current.storageId, language };
  return undefined;
}

/**
 * The form's "Captions" panel: the current captions (language, size, link to the file) with
 * "Remove captions", a `.vtt` file picker with upload progress and the server's check, and the
 * captions' BCP 47 language (shown when captions will be saved).
 * @param language the language field's value; `languageInput` = `form.getInputProps("captionsLanguage")`.
 * @param error the server's message for the captions file, if any.
 */
export function CaptionsSection({
  current,
  captions,
  language,
  languageInput,
  error,
}: {
  current: CurrentCaptions | null;
  captions: CaptionsState;
  language: string;
  languageInput: GetInputPropsReturnType;
  error: string | null;
}) {
  const { upload, removing } = captions;
  const keepsCurrent = current !== null && !removing && upload.state !== "ready";
  const showLanguage = keepsCurrent || (upload.state !== "none" && upload.state !== "failed");

  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Text fw={500} size="sm">
          Captions
        </Text>
        {current !== null && removing ? (
          <Group gap="xs">
            <Text size="sm" c="orange" aria-live="polite">
              The captions will be removed when you save.
            </Text>
            <Button size="compact-sm" variant="subtle" onClick={() => captions.setRemoving(false)}>
              Keep captions
            </Button>
          </Group>
        ) : keepsCurrent ? (
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              Current captions: {languageName(current.language)} ({current.language})
              {current.size !== undefined ? ` · ${formatBytes(current.size)}` : ""}.
              {current.url !== null ? (
                <>
                  {" "}
                  <Anchor href={current.url} target="_blank" rel="noreferrer" size="sm">
                    Open the file
                  </Anchor>
                </>
              ) : null}
            </Text>
            <Button size="compact-sm" variant="subtle" color="red" onClick={() => captions.setRemoving(true)}>
              Remove captions
            </Button>
          </Group>
        ) : current === null && upload.state === "none" ? (
          <Text size="sm" c="dimmed">
            No captions yet. Captions help deaf and hard-of-hearing students, and anyone watching without sound.
          </Text>
        ) : null}
        <UploadInput
          label={current !== null ? "Replace captions" : "Captions file (WebVTT)"}
          description="A .vtt file whose first line is WEBVTT, up to 2 MB."
          placeholder="Choose a .vtt file"
          accept={CAPTIONS_ACCEPT}
          value={captions.file}
          onChoose={captions.choose}
          upload={upload}
          problem={error}
          clearLabel="Clear the chosen captions file"
          progressLabel="Captions upload progress"
        />
        {upload.state === "checking" ? (
          <Text size="xs" c="dimmed" aria-live="polite">
            Checking {upload.fileName}…
          </Text>
        ) : null}
        {upload.state === "ready" ? (
          <Text size="sm" c="teal" aria-live="polite">
            Uploaded {upload.fileName} ({formatBytes(upload.size)}). Save to use it.
          </Text>
        ) : null}
        {showLanguage ? (
          <TextInput
            label="Captions language"
            description={captionsLanguageHint(language)}
            withAsterisk
            maw={240}
            {...languageInput}
            error={typeof languageInput.error === "string" ? languageInput.error : undefined}
          />
        ) : null}
      </Stack>
    </Paper>
  );
}
