import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type FieldProblem } from '../api';
import { DataTable } from '../components/data-table';
import { ErrorNote } from '../components/query-state';
import { useFormat } from '../i18n';
import { getToken } from '../session';
import type { ImportResult, RowError } from '../types';

export const IMPORT_KINDS = ['customers', 'visits', 'orders'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** One CSV field, quoted when it must be (RFC 4180), and defused if a spreadsheet would read it as a formula. */
const field = (value: string | number): string => {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The rejected rows as a CSV the user can fix and upload again: line, field, message, then the row's values. */
export function errorReport(errors: RowError[]): string {
  const widest = Math.max(0, ...errors.map((error) => error.values.length));
  const header = ['row', 'field', 'message', ...Array.from({ length: widest }, (_, i) => `value${i + 1}`)];
  const lines = [header, ...errors.map((e) => [e.row, e.field, e.message, ...e.values])];
  return `${lines.map((line) => line.map(field).join(',')).join('\r\n')}\r\n`;
}

/**
 * POST /v1/imports/{kind} through XMLHttpRequest, for its upload progress events (fetch has none
 * for a request body). Resolves with the API's answer; rejects with an ApiError otherwise.
 */
export function uploadCsv(
  kind: ImportKind,
  file: Blob,
  onProgress: (sent: number, total: number) => void,
): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/v1/imports/${kind}`);
    const token = getToken();
    if (token) request.setRequestHeader('Authorization', `Bearer ${token}`);
    request.setRequestHeader('Content-Type', 'text/csv');
    request.setRequestHeader('Accept', 'application/json');
    request.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    request.onerror = () => reject(new ApiError(0, 'network error'));
    request.onload = () => {
      let answer: { message?: string | string[]; error?: string; fields?: FieldProblem[] } & Partial<ImportResult>;
      try {
        answer = request.responseText ? JSON.parse(request.responseText) : {};
      } catch {
        answer = { message: request.responseText };
      }
      if (request.status >= 200 && request.status < 300) resolve(answer as ImportResult);
      else {
        const message = Array.isArray(answer.message) ? answer.message.join('; ') : (answer.message ?? answer.error);
        reject(new ApiError(request.status, message || `HTTP ${request.status}`, answer.fields ?? []));
      }
    };
    request.send(file);
  });
}

export function ImportsScreen() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<ImportKind>('customers');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const busy = progress !== null && result === null && error === null;
  const kindId = useId();
  const fileId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setResult(null);
    setError(null);
    setProgress({ sent: 0, total: file.size });
    uploadCsv(kind, file, (sent, total) => setProgress({ sent, total }))
      .then((answer) => {
        setResult(answer);
        void queryClient.invalidateQueries();
      })
      .catch(setError);
  };
  return (
    <>
      <h1>{t('imports.title')}</h1>
      <form className="stack panel" onSubmit={submit}>
        <label htmlFor={kindId}>
          {t('imports.kind')}
          <select id={kindId} value={kind} onChange={(event) => setKind(event.target.value as ImportKind)}>
            {IMPORT_KINDS.map((value) => (
              <option key={value} value={value}>
                {t(`imports.kinds.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={fileId}>
          {t('imports.file')}
          <input
            id={fileId}
            type="file"
            accept=".csv,text/csv"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </label>
        <p className="muted">{t('imports.hint')}</p>
        <div>
          <button type="submit" disabled={!file || busy}>
            {t('imports.upload')}
          </button>
        </div>
        {progress && (
          <div>
            <label htmlFor={`${fileId}-progress`}>{busy ? t('imports.sending') : t('imports.sent')}</label>{' '}
            <progress id={`${fileId}-progress`} max={Math.max(progress.total, 1)} value={progress.sent} />
          </div>
        )}
      </form>
      {error !== null && <ErrorNote error={error} />}
      {result && <ImportReport result={result} kind={kind} />}
    </>
  );
}

export function ImportReport({ result, kind }: { result: ImportResult; kind: ImportKind }) {
  const { t } = useTranslation();
  const f = useFormat();
  const report = useMemo(
    () =>
      result.errors.length > 0
        ? URL.createObjectURL(new Blob([errorReport(result.errors)], { type: 'text/csv' }))
        : null,
    [result],
  );
  useEffect(() => () => void (report && URL.revokeObjectURL(report)), [report]);
  const counts = [
    ['rows', result.rows],
    ['new', result.new],
    ['alreadyPresent', result.alreadyPresent],
    ['rejected', result.rejected],
  ] as const;
  return (
    <section className="panel" aria-labelledby="import-result" data-testid="import-result">
      <h2 id="import-result" role="status">
        {t('imports.done')}
      </h2>
      <ul className="tiles">
        {counts.map(([key, value]) => (
          <li key={key} className="tile" data-count={key}>
            <div className="label">{t(`imports.counts.${key}`)}</div>
            <div className={`value${key === 'rejected' && value > 0 ? ' bad' : ''}`}>{f.number(value)}</div>
          </li>
        ))}
      </ul>
      {result.errors.length > 0 && report && (
        <>
          <p>
            <a href={report} download={`${kind}-rejected-rows.csv`}>
              {t('imports.download')}
            </a>
            {result.rejected > result.errors.length && (
              <span className="muted"> {t('imports.firstOnly', { number: f.number(result.errors.length) })}</span>
            )}
          </p>
          <DataTable
            label={t('imports.rejectedRows')}
            columns={[{ label: t('imports.line'), numeric: true }, t('imports.field'), t('imports.problem')]}
          >
            {result.errors.slice(0, 20).map((error) => (
              <tr key={`${error.row}:${error.field}`}>
                <td className="num">{f.number(error.row)}</td>
                <td>
                  <code>{error.field}</code>
                </td>
                <td>{error.message}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </section>
  );
}
