import { Badge, FileInput, Group, Progress, Stack, Text } from "@mantine/core";

/**
 * Pieces the expert session pages share: the badges of the products a session is published for,
 * and the input of a file that uploads as soon as it is chosen (video, captions).
 */

/**
 * One outlined badge per product a session is published for.
 * @param inline render as a `span` (inside a page description, which is a paragraph).
 */
export function ProductBadges({ products, inline = false }: { products: readonly { _id: string; title: string }[]; inline?: boolean }) {
  return (
    <Group gap={4} component={inline ? "span" : "div"}>
      {products.map((product) => (
        <Badge key={product._id} variant="outline" size="sm">
          {product.title}
        </Badge>
      ))}
    </Group>
  );
}

/** Where a chosen file's upload is; other states (none, checking, done) show nothing here. */
type UploadStatus = { state: "uploading"; fileName: string; fraction: number } | { state: "failed"; message: string } | { state: string };

/**
 * A clearable file input whose file uploads as soon as it is chosen: a failed upload's message is the
 * input's error, and while it uploads a progress bar and "Uploading <file>: n%" show under it.
 *
 * @param upload the upload's state.
 * @param problem a check of the chosen file that failed before uploading, or null.
 * @param clearLabel the accessible name of the clear button ("Clear the chosen video file").
 * @param progressLabel the progress bar's accessible name ("Upload progress").
 * @param onChoose called with the chosen file, or null when cleared.
 */
export function UploadInput({
  label,
  description,
  placeholder,
  accept,
  value,
  onChoose,
  upload,
  problem,
  clearLabel,
  progressLabel,
}: {
  label: string;
  description: string;
  placeholder: string;
  accept: string;
  value: File | null;
  onChoose: (file: File | null) => unknown;
  upload: UploadStatus;
  problem: string | null;
  clearLabel: string;
  progressLabel: string;
}) {
  return (
    <>
      <FileInput
        label={label}
        description={description}
        placeholder={placeholder}
        accept={accept}
        clearable
        clearButtonProps={{ "aria-label": clearLabel }}
        value={value}
        onChange={(chosen) => void onChoose(chosen)}
        error={"message" in upload ? upload.message : (problem ?? undefined)}
      />
      {"fraction" in upload ? (
        <Stack gap={4}>
          <Progress value={upload.fraction * 100} animated aria-label={progressLabel} />
          <Text size="xs" c="dimmed" aria-live="polite">
            Uploading {upload.fileName}: {Math.round(upload.fraction * 100)}%
          </Text>
        </Stack>
      ) : null}
    </>
  );
}
