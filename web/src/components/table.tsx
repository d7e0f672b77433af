import type { ComponentChildren } from 'preact';

/** One column of a Table: its header, and what each row shows in it. */
export interface Column<T> {
  /** The column's header (a `th scope="col"`). */
  header: ComponentChildren;
  /** What one row shows in this column. */
  cell: (row: T) => ComponentChildren;
  /**
   * The column that names the row (a `th scope="row"`): screen readers announce it with every
   * other cell of the row. At most one per table.
   */
  rowHeader?: boolean;
  /** Class of the column's body cells. */
  class?: string;
}

export interface TableProps<T> {
  /** Names the table for screen readers (a visually hidden caption). */
  caption: ComponentChildren;
  columns: Column<T>[];
  rows: readonly T[];
  /** What identifies a row across renders (Preact's key), so live updates keep rows in place. */
  rowKey: (row: T, index: number) => string | number;
  /** Shown instead of the table when there are no rows, as an empty-state line; without it, an empty table shows. */
  empty?: ComponentChildren;
  class?: string;
}

/** Every table of the UI: a header row, one row per item, and an empty state instead of an empty table. */
export function Table<T>({ caption, columns, rows, rowKey, empty, class: className }: TableProps<T>) {
  if (rows.length === 0 && empty !== undefined) return <p class="empty">{empty}</p>;
  return (
    <table class={className}>
      <caption class="sr-only">{caption}</caption>
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th scope="col" key={i}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, r) => (
          <tr key={rowKey(row, r)}>
            {columns.map((c, i) =>
              c.rowHeader ? (
                <th scope="row" class={c.class} key={i}>
                  {c.cell(row)}
                </th>
              ) : (
                <td class={c.class} key={i}>
                  {c.cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
