import { Button, Group, Table } from "@mantine/core";
import type { ReactNode } from "react";
import { EmptyState, LoadingState } from "./states";

/** The part of a `usePaginatedQuery` result the table needs. */
export interface PaginatedRows<T> {
  results: T[];
  status: "LoadingFirstPage" | "CanLoadMore" | "LoadingMore" | "Exhausted";
  loadMore: (numItems: number) => void;
}

/** What a table shows while it has no rows: a title, and optionally an explanation and an action. */
export interface TableEmptyState {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
}

/**
 * A table of rows that may still be loading: a loading state while `rows` is undefined, an empty
 * state when there are none, otherwise a striped table that scrolls sideways on narrow screens.
 *
 * @param rows the rows, or undefined while loading (a `useQuery` result).
 * @param label the table's accessible name (e.g. "Courses").
 * @param headers the column headers, in order.
 * @param renderRow one `<Table.Tr key=…>` per row.
 * @param loadingLabel e.g. "Loading courses…".
 * @param empty shown instead of the table when there are no rows.
 * @param minWidth the width (px) below which the table scrolls instead of squeezing its columns.
 * @param highlightOnHover highlight the row under the pointer (rows that link somewhere).
 */
export function DataTable<T>({
  rows,
  label,
  headers,
  renderRow,
  loadingLabel,
  empty,
  minWidth,
  highlightOnHover = false,
}: {
  rows: readonly T[] | undefined;
  label: string;
  headers: readonly string[];
  renderRow: (row: T) => ReactNode;
  loadingLabel: string;
  empty: TableEmptyState;
  minWidth: number;
  highlightOnHover?: boolean;
}) {
  if (rows === undefined) return <LoadingState label={loadingLabel} />;
  if (rows.length === 0) return <EmptyState title={empty.title} description={empty.description} action={empty.action} />;
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped highlightOnHover={highlightOnHover} verticalSpacing="sm" aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {headers.map((header) => (
              <Table.Th key={header}>{header}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{rows.map(renderRow)}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * A {@link DataTable} over a `usePaginatedQuery` result, with a "Load more" button while the server
 * has more.
 *
 * @param rows the `usePaginatedQuery` result.
 * @param pageSize rows asked for by each "Load more".
 * Other parameters as for {@link DataTable}.
 */
export function PaginatedTable<T>({
  rows,
  pageSize,
  ...table
}: {
  rows: PaginatedRows<T>;
  pageSize: number;
  label: string;
  headers: readonly string[];
  renderRow: (row: T) => ReactNode;
  loadingLabel: string;
  empty: TableEmptyState;
  minWidth: number;
}) {
  const { results, status, loadMore } = rows;
  return (
    <>
      <DataTable rows={status === "LoadingFirstPage" ? undefined : results} {...table} />
      {results.length > 0 && (status === "CanLoadMore" || status === "LoadingMore") ? (
        <Group justify="center" mt="md">
          <Button variant="default" onClick={() => loadMore(pageSize)} loading={status === "LoadingMore"}>
            Load more
          </Button>
        </Group>
      ) : null}
    </>
  );
}
