import type { ReactNode } from 'react';

/** A column heading: `numeric` aligns right; `hidden` is for screen readers only (a column of buttons). */
export type Column = string | { label: string; numeric?: boolean; hidden?: boolean };

/**
 * A table in a scrolling region: keyboard users can focus it to scroll a wide table on a phone, and
 * screen readers announce it by `label`. The rows are the caller's, so cells keep their own markup.
 */
export function DataTable({
  label,
  columns,
  testId,
  children,
}: {
  label: string;
  columns: readonly Column[];
  testId?: string;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap" role="region" tabIndex={0} aria-label={label}>
      <table data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column, i) => {
              const { label: heading, numeric, hidden } = typeof column === 'string' ? { label: column } : column;
              return (
                <th key={i} scope="col" className={numeric ? 'num' : undefined}>
                  {hidden ? <span className="visually-hidden">{heading}</span> : heading}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
