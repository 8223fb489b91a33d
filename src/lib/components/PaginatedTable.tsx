import { Button, Group, Table } from "@mantine/core";
import type { ReactNode } from "react";
import { EmptyState, LoadingState } from "./states";

/** The part of a `usePaginatedQuery` result the table needs. */
export interface PaginatedRows<T> {
  results: T[];
  status: "LoadingFirstPage" | "CanLoadMore" | "LoadingMore" | "Exhausted";
  loadMore: (numItems: number) => void;
}

/**
 * A live table over a `usePaginatedQuery` result: a loading state for the first page, an empty state
 * when there are no rows, otherwise a striped table that scrolls sideways on narrow screens, and a
 * "Load more" button while the server has more.
 *
 * @param rows the `usePaginatedQuery` result.
 * @param pageSize rows asked for by each "Load more".
 * @param label the table's accessible name (e.g. "Outbox emails").
 * @param headers the column headers, in order.
 * @param renderRow one `<Table.Tr key=…>` per row.
 * @param loadingLabel e.g. "Loading emails…".
 * @param empty shown instead of the table when there are no rows (`title`, optional `description`
 *   and `action`).
 * @param minWidth the width (px) below which the table scrolls instead of squeezing its columns.
 */
export function PaginatedTable<T>({
  rows,
  pageSize,
  label,
  headers,
  renderRow,
  loadingLabel,
  empty,
  minWidth,
}: {
  rows: PaginatedRows<T>;
  pageSize: number;
  label: string;
  headers: readonly string[];
  renderRow: (row: T) => ReactNode;
  loadingLabel: string;
  empty: { title: string; description?: ReactNode; action?: ReactNode };
  minWidth: number;
}) {
  const { results, status, loadMore } = rows;
  if (status === "LoadingFirstPage") return <LoadingState label={loadingLabel} />;
  if (results.length === 0) return <EmptyState title={empty.title} description={empty.description} action={empty.action} />;
  return (
    <>
      <Table.ScrollContainer minWidth={minWidth}>
        <Table striped verticalSpacing="sm" aria-label={label}>
          <Table.Thead>
            <Table.Tr>
              {headers.map((header) => (
                <Table.Th key={header}>{header}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{results.map(renderRow)}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {status === "CanLoadMore" || status === "LoadingMore" ? (
        <Group justify="center" mt="md">
          <Button variant="default" onClick={() => loadMore(pageSize)} loading={status === "LoadingMore"}>
            Load more
          </Button>
        </Group>
      ) : null}
    </>
  );
}
