import { pipeline, Transform, type Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { auditEvent, exportFormats, type AuditEventRow, type EncodedAuditEvent, type ExportFormat } from './audit.schemas.js';

/**
 * Streamed exports of the audit trail (SPEC §7): rows are read from a database cursor in batches and
 * written out as they come, so an export of millions of events holds a few hundred in memory. Each event
 * passes the same response schema as the JSON list (undeclared fields dropped, times in RFC 3339).
 */

/** The representation a GET /v1/audit-events asks for in Accept (q-values honoured), or 406. */
export function negotiateFormat(accept: string | undefined): 'json' | ExportFormat {
  if (!accept?.trim()) return 'json';
  const offers = [
    ['json', 'application/json'],
    ['csv', exportFormats.csv],
    ['ndjson', exportFormats.ndjson],
  ] as const;
  let best: { format: 'json' | ExportFormat; q: number; specificity: number } | undefined;
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const qParameter = parameters.find((p) => p.startsWith('q='));
    const q = qParameter ? Number(qParameter.slice(2)) : 1;
    if (!(q > 0 && q <= 1)) continue;
    const [major, minor] = type.split('/');
    for (const [format, mediaType] of offers) {
      const [offerMajor] = mediaType.split('/');
      const specificity = type === mediaType ? 2 : major === offerMajor && minor === '*' ? 1 : type === '*/*' ? 0 : -1;
      if (specificity < 0) continue;
      // A higher q wins; at equal q the more specific range; at equal both the earlier offer (JSON first).
      if (!best || q > best.q || (q === best.q && specificity > best.specificity)) best = { format, q, specificity };
    }
  }
  if (!best) throw new AppError('not_acceptable', 'Ask for application/json, text/csv or application/x-ndjson.');
  return best.format;
}

const formulaStart = /^[=+\-@\t\r]/;

/** A cell a spreadsheet would run as a formula (CSV injection) is kept as text with a leading apostrophe. */
export function neutraliseCell(value: string): string {
  return formulaStart.test(value) ? `'${value}` : value;
}

const csvColumns = Object.keys(auditEvent.shape) as (keyof typeof auditEvent.shape)[];

function toCsvRecord(event: EncodedAuditEvent): Record<string, unknown> {
  return { ...event, details: event.details ? JSON.stringify(event.details) : null };
}

function formatter(format: ExportFormat): Transform {
  if (format === 'csv') {
    return stringify({
      header: true,
      columns: csvColumns,
      cast: { string: neutraliseCell, boolean: (value) => String(value) },
    });
  }
  return new Transform({
    writableObjectMode: true,
    transform(event: EncodedAuditEvent, _encoding, done) {
      done(null, `${JSON.stringify(event)}\n`);
    },
  });
}

/**
 * Opens the cursor on a connection of its own and returns the byte stream of the export. The connection
 * goes back to the pool when the stream ends, fails or is abandoned (client gone, or the response replaced
 * by a 503 because the export's own audit event could not be stored).
 */
export async function exportStream(
  pool: pg.Pool,
  query: { sql: string; params: unknown[] },
  format: ExportFormat,
  eventOfRow: (values: unknown[]) => AuditEventRow,
  onError: (error: Error) => void,
): Promise<Readable> {
  const client = await pool.connect();
  const rows = client.query(new QueryStream(query.sql, query.params, { rowMode: 'array', batchSize: 500 }));
  let failure: Error | undefined;
  rows.once('error', (error) => (failure = error));
  rows.once('close', () => client.release(failure));
  const encode = new Transform({
    objectMode: true,
    transform(values: unknown[], _encoding, done) {
      const event = z.encode(auditEvent, eventOfRow(values));
      done(null, format === 'csv' ? toCsvRecord(event) : event);
    },
  });
  // An error ends the response early (the status line has gone) and is logged; pipeline destroys every
  // stage, which closes the cursor and releases the connection.
  return pipeline(rows, encode, formatter(format), (error) => {
    if (error && (error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') onError(error);
  });
}
