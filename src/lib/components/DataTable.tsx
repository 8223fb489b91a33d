import { Box, Button, DataList, Group, Paper, Stack, Table } from "@mantine/core";
import type { Key, ReactNode } from "react";
import { EmptyState, LoadingState } from "./states";
import { usePhoneLayout } from "./usePhoneLayout";

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
 * One column of a {@link DataTable}.
 * - `header`: the column header on wide screens, the field's label in a phone card.
 * - `cell`: what the column shows for a row.
 * - `actions`: the column holds the row's buttons. On phones they sit under the card's fields,
 *   unlabelled and in full view.
 */
export interface TableColumn<T> {
  header: string;
  cell: (row: T) => ReactNode;
  actions?: boolean;
}

/** A column list in which a column shown only sometimes may be written `condition && {…}`. */
export type TableColumns<T> = readonly (TableColumn<T> | false | null | undefined)[];

interface TableProps<T> {
  /** The table's accessible name (e.g. "Courses"); also the name of the phone card list. */
  label: string;
  columns: TableColumns<T>;
  /**
   * A stable key per row. Rows that are Convex documents (they have an `_id`) are keyed by it when
   * this is left out; any other row must name its key.
   */
  rowKey?: (row: T) => Key;
  /** e.g. "Loading courses…". */
  loadingLabel: string;
  /** Shown instead of the table when there are no rows. */
  empty: TableEmptyState;
  /** The width (px) below which the wide-screen table scrolls instead of squeezing its columns. */
  minWidth: number;
  /** Highlight the row under the pointer (rows that link somewhere). */
  highlightOnHover?: boolean;
}

/** Table props with the key rule of {@link TableProps.rowKey}: documents may leave it out. */
type DocumentTableProps<T extends { _id: string }> = TableProps<T>;
type KeyedTableProps<T> = TableProps<T> & { rowKey: (row: T) => Key };

/** The key of a row: `rowKey(row)`, else the document's `_id`. */
function keyOf<T>(rowKey: ((row: T) => Key) | undefined, row: T): Key {
  return rowKey ? rowKey(row) : (row as { _id: string })._id;
}

/**
 * A table of rows that may still be loading: a loading state while `rows` is undefined, an empty
 * state when there are none, otherwise a striped table on wide screens and, below Mantine's `sm`
 * breakpoint (phones), one card per row with each column as a label/value pair and the row's actions
 * in full view under them, so nothing hides behind a sideways scroll.
 *
 * @param rows the rows, or undefined while loading (a `useQuery` result).
 * Other parameters: see the props' comments.
 */
export function DataTable<T extends { _id: string }>(props: DocumentTableProps<T> & { rows: readonly T[] | undefined }): ReactNode;
export function DataTable<T>(props: KeyedTableProps<T> & { rows: readonly T[] | undefined }): ReactNode;
export function DataTable<T>(props: TableProps<T> & { rows: readonly T[] | undefined }): ReactNode {
  return <RowsTable {...props} />;
}

/** {@link DataTable} without its key rule (the key is checked by the public signatures). */
function RowsTable<T>({
  rows,
  label,
  columns,
  rowKey,
  loadingLabel,
  empty,
  minWidth,
  highlightOnHover = false,
}: TableProps<T> & { rows: readonly T[] | undefined }) {
  const phone = usePhoneLayout();
  if (rows === undefined) return <LoadingState label={loadingLabel} />;
  if (rows.length === 0) return <EmptyState title={empty.title} description={empty.description} action={empty.action} />;
  const shown = columns.filter((column): column is TableColumn<T> => Boolean(column));
  if (phone) return <RowCards rows={rows} label={label} columns={shown} rowKey={rowKey} />;
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped highlightOnHover={highlightOnHover} verticalSpacing="sm" aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {shown.map((column) => (
              <Table.Th key={column.header}>{column.header}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={keyOf(rowKey, row)}>
              {shown.map((column) => (
                <Table.Td key={column.header}>{column.cell(row)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The phone layout of {@link DataTable}: a list of cards, one per row. */
function RowCards<T>({
  rows,
  label,
  columns,
  rowKey,
}: {
  rows: readonly T[];
  label: string;
  columns: readonly TableColumn<T>[];
  rowKey: ((row: T) => Key) | undefined;
}) {
  const fields = columns.filter((column) => !column.actions);
  const actions = columns.filter((column) => column.actions);
  return (
    <Stack component="ul" aria-label={label} gap="sm" p={0} m={0} style={{ listStyle: "none" }}>
      {rows.map((row) => (
        <Paper component="li" key={keyOf(rowKey, row)} withBorder p="sm">
          <DataList gap={6} labelWidth="6.5rem">
            {fields.map((column) => (
              <DataList.Item key={column.header}>
                <DataList.ItemLabel>{column.header}</DataList.ItemLabel>
                <DataList.ItemValue style={{ minWidth: 0, flex: 1 }}>
                  {column.cell(row)}
                </DataList.ItemValue>
              </DataList.Item>
            ))}
          </DataList>
          {actions.length > 0 ? (
            <Group gap="xs" mt="sm">
              {actions.map((column) => (
                <Box key={column.header}>{column.cell(row)}</Box>
              ))}
            </Group>
          ) : null}
        </Paper>
      ))}
    </Stack>
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
export function PaginatedTable<T extends { _id: string }>(
  props: DocumentTableProps<T> & { rows: PaginatedRows<T>; pageSize: number },
): ReactNode;
export function PaginatedTable<T>(props: KeyedTableProps<T> & { rows: PaginatedRows<T>; pageSize: number }): ReactNode;
export function PaginatedTable<T>({
  rows,
  pageSize,
  ...table
}: TableProps<T> & { rows: PaginatedRows<T>; pageSize: number }): ReactNode {
  const { results, status, loadMore } = rows;
  return (
    <>
      <RowsTable rows={status === "LoadingFirstPage" ? undefined : results} {...table} />
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
