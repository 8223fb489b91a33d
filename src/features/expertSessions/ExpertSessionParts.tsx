import { Badge, Group, Progress, Stack, Text } from "@mantine/core";

/**
 * Pieces the expert session pages share: the badges of the products a session is published for,
 * and the progress of a file upload.
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

/**
 * The progress bar and "Uploading <file>: n%" line of a file being uploaded.
 * @param fraction how much is uploaded, 0 to 1.
 * @param label the progress bar's accessible name ("Upload progress").
 */
export function UploadProgress({ fileName, fraction, label }: { fileName: string; fraction: number; label: string }) {
  return (
    <Stack gap={4}>
      <Progress value={fraction * 100} animated aria-label={label} />
      <Text size="xs" c="dimmed" aria-live="polite">
        Uploading {fileName}: {Math.round(fraction * 100)}%
      </Text>
    </Stack>
  );
}
