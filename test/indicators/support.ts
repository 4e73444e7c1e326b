import type { LightMyRequestResponse } from 'fastify';
import type { PublishedTable } from '../../src/modules/indicators/suppression.js';
import type { TestApp } from '../helpers/app.js';

/** What GET /v1/indicators/{cases|interventions} answers in JSON. */
export interface TableBody {
  indicator: string;
  organisation: string;
  period: string;
  dimensions: string[];
  k: number;
  method: string;
  cells: Array<Record<string, string | number | null>>;
  margins: Array<Record<string, string | number | null>>;
  total: number | null;
}

export function indicatorUrl(indicator: string, query: Record<string, string>): string {
  return `/v1/indicators/${indicator}?${new URLSearchParams(query).toString()}`;
}

export async function getTable(
  t: TestApp,
  subject: string,
  indicator: string,
  query: Record<string, string>,
  accept = 'application/json',
): Promise<LightMyRequestResponse> {
  return t.as(subject, { method: 'GET', url: indicatorUrl(indicator, query), headers: { accept } });
}

/** Every row of a table (cells, margins, total) with its key as a value-or-null per dimension. */
export function rowsOf(body: TableBody): Array<{ key: Record<string, string | null>; count: number | null }> {
  const keyOf = (row: Record<string, string | number | null>) =>
    Object.fromEntries(
      body.dimensions.map((dimension) => [dimension, (row[dimension] as string | null) ?? null]),
    );
  return [
    ...[...body.cells, ...body.margins].map((row) => ({
      key: keyOf(row),
      count: row.count as number | null,
    })),
    { key: Object.fromEntries(body.dimensions.map((dimension) => [dimension, null])), count: body.total },
  ];
}

/** The answer as a PublishedTable, for the exact disclosure audit of src/modules/indicators. */
export function asPublishedTable(body: TableBody): PublishedTable {
  const entries = rowsOf(body).map((row) => ({
    key: body.dimensions.map((dimension) => row.key[dimension] ?? null),
    count: row.count,
    suppression: null,
  }));
  return {
    dimensions: body.dimensions,
    domains: body.dimensions.map((dimension) => [
      ...new Set(body.cells.map((row) => row[dimension] as string)),
    ]),
    k: body.k,
    cells: entries.filter((entry) => !entry.key.includes(null)),
    margins: entries.filter((entry) => entry.key.includes(null)),
  };
}

/** Identifiers and dates finer than a month that must never appear in an indicators response. */
export const forbiddenPatterns = {
  uuid: /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i,
  fiscalCode: /[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]/i,
  temporaryFiscalCode: /\b[0-9]{11}\b/,
  fullDate: /\b[0-9]{4}-[0-9]{2}-[0-9]{2}/,
  name: /ROSSI|Giulia|Mario|Via Verdi|Garibaldi/i,
};
