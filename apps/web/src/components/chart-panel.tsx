import type { ReactElement, ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';

/** A chart in a captioned panel, as wide as the panel and as tall as the stylesheet's `.chart`. */
export function ChartPanel({
  title,
  summary,
  testId,
  children,
}: {
  title: string;
  summary?: ReactNode;
  testId: string;
  children: ReactElement;
}) {
  return (
    <figure className="panel" aria-label={title}>
      <figcaption>
        <strong>{title}</strong>
        {summary !== undefined && (
          <>
            {' '}
            <span className="muted">{summary}</span>
          </>
        )}
      </figcaption>
      <div className="chart" data-testid={testId}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
