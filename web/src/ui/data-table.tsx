import type { ReactNode } from 'react';

/** One column: its header, what a row shows in it, and whether it holds numbers (aligned right). */
export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  numeric?: boolean;
}

/** A table that scrolls sideways on a phone; focusable so a keyboard can scroll it too. */
function TableRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1).
    <section className="table-region" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}

/**
 * Every list in the console: a region named `label` that scrolls sideways on a phone, column headers, and the first
 * column as each row's header, so that a screen reader names a row by it (a campaign's name, a contact's phone).
 */
export function DataTable<T>({
  label,
  columns,
  rows,
  rowKey,
}: {
  label: string;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
}) {
  const numeric = (column: Column<T>) => (column.numeric ? 'num' : undefined);
  return (
    <TableRegion label={label}>
      <table className="table">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" className={numeric(column)}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column, index) =>
                index === 0 ? (
                  <th key={column.header} scope="row" className={numeric(column)}>
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={column.header} className={numeric(column)}>
                    {column.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
