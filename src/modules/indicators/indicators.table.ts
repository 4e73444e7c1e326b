import { stringify } from 'csv-stringify/sync';
import type { IndicatorDimension } from './indicators.grid.js';
import { periodSlice, type Period } from './indicators.periods.js';
import type { IndicatorKind } from './indicators.release.js';
import { viewOf } from './published-view.js';
import { toPublicTable, type PublishedTable } from './suppression.js';

/** How a table was protected, for the caller's metadata (INDICATORS.md explains it). */
export const indicatorMethod =
  'threshold k (0 < n < k suppressed) + hypercube complementary suppression; frozen releases per organisation, indicator and year, each table locked to the totals and one-dimension tables it shares (INDICATORS.md)';

/** One cell or margin: a value (or `null` = total) per dimension of the table, and the count (`null` = suppressed). */
export type IndicatorRow = Partial<Record<IndicatorDimension, string | null>> & { count: number | null };

export interface IndicatorTable {
  indicator: IndicatorKind;
  organisation: string;
  period: string;
  dimensions: IndicatorDimension[];
  k: number;
  method: string;
  cells: IndicatorRow[];
  /** Sub-totals over every proper subset of the dimensions (the grand total is `total`). */
  margins: IndicatorRow[];
  total: number | null;
}

/** The requested table: the period's slice of the master, reduced to the requested dimensions. */
export function indicatorTable(
  master: PublishedTable,
  request: {
    indicator: IndicatorKind;
    organisation: string;
    period: Period;
    dimensions: IndicatorDimension[];
  },
): IndicatorTable {
  const { indicator, organisation, period, dimensions } = request;
  const view = toPublicTable(viewOf(master, { dimensions, fixed: periodSlice(period) }));
  const row = (entry: { key: Array<string | null>; count: number | null }): IndicatorRow => ({
    ...Object.fromEntries(dimensions.map((dimension, j) => [dimension, entry.key[j] ?? null])),
    count: entry.count,
  });
  const grandTotal = [...view.cells, ...view.margins].find((entry) => entry.key.every((v) => v === null))!;
  return {
    indicator,
    organisation,
    period: period.key,
    dimensions,
    k: master.k,
    method: indicatorMethod,
    cells: dimensions.length === 0 ? [] : view.cells.map(row),
    margins: view.margins.filter((entry) => entry !== grandTotal).map(row),
    total: grandTotal.count,
  };
}

/** Marker of "total over this dimension" in CSV (the SDMX code for a total). A suppressed count is empty. */
export const CSV_TOTAL = '_T';

export function indicatorCsv(table: IndicatorTable): string {
  const rows = [...table.cells, ...table.margins, { count: table.total }].map((row) => [
    table.indicator,
    table.organisation,
    table.period,
    ...table.dimensions.map((dimension) => row[dimension] ?? CSV_TOTAL),
    row.count ?? '',
  ]);
  return stringify([['indicator', 'organisation', 'period', ...table.dimensions, 'count'], ...rows]);
}

/** Whether the Accept header prefers CSV to JSON (q-values honoured; JSON when equal or absent). */
export function prefersCsv(accept: string | undefined): boolean {
  let csv = 0;
  let json = accept?.trim() ? 0 : 1;
  for (const range of (accept ?? '').split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const q = Number(parameters.find((p) => p.startsWith('q='))?.slice(2) ?? 1);
    if (!(q >= 0 && q <= 1)) continue;
    if (type === 'text/csv' || type === 'text/*') csv = Math.max(csv, q);
    if (type === 'application/json' || type === 'application/*' || type === '*/*') json = Math.max(json, q);
  }
  return csv > json;
}
