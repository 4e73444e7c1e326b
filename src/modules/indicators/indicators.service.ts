import { organisationOf } from '../../access/actor.js';
import type { DbHandle } from '../../platform/database.js';
import type { ServiceContext } from '../../platform/request-context.js';
import { conflict, invalid, notFound } from '../../shared/errors.js';
import { monthsOf, parseDimensionList, parsePeriod, periodDateRange } from './indicators.grid.js';
import { decodeMaster, encodeMaster } from './indicators.master-codec.js';
import {
  computeRelease,
  dimensionsKey,
  masterDimensionsFor,
  releasableThrough,
  type IndicatorKind,
  type MonthExtract,
  type Release,
} from './indicators.release.js';
import * as repository from './indicators.repository.js';
import type { IndicatorQuery } from './indicators.schemas.js';
import { indicatorTable, type IndicatorTable } from './indicators.table.js';
import { periodDimensions } from './indicators.periods.js';
import { LockConflictError } from './suppression.js';

interface YearScope {
  organisationId: string;
  indicator: IndicatorKind;
  year: number;
}

/**
 * One anonymised table (SPEC §8): a view of the organisation's release for the period's year. Releases are
 * computed on the first request that needs them and then served unchanged (INDICATORS.md).
 */
export async function readIndicator(
  ctx: ServiceContext,
  indicator: IndicatorKind,
  query: IndicatorQuery,
): Promise<IndicatorTable> {
  const organisation = await readableOrganisation(ctx, query.organisation);
  const period = parsePeriod(query.period)!;
  const dimensions = parseDimensionList(query.by)!;
  const lastMonth = Number(monthsOf(period).at(-1)!.slice(5));
  const releasable = releasableThrough(period.year, new Date());
  if (lastMonth > releasable) {
    throw invalid(
      'querystring/period',
      'is not released yet: a month is published from the first day of the second month after it',
    );
  }
  // Aggregates only: the event names what was asked, never a person.
  ctx.audit({ details: { organisationId: organisation.id, indicator, period: period.key, dimensions } });
  const scope = { organisationId: organisation.id, indicator, year: period.year };
  const master = await releasedMaster(ctx, scope, dimensions, { needed: lastMonth, releasable });
  return indicatorTable(master, { indicator, organisation: organisation.belfioreCode, period, dimensions });
}

/** The caller's organisation, or (regional clients) one it serves; anything else does not exist for it. */
async function readableOrganisation(ctx: ServiceContext, belfioreCode: string | undefined) {
  const { actor } = ctx;
  const readable = actor.kind === 'client' ? actor.servedOrganisationIds : [organisationOf(actor)];
  const found = await repository.findOrganisation(
    ctx.db,
    belfioreCode ? { belfioreCode } : { id: organisationOf(actor) },
  );
  if (!found || !readable.includes(found.id)) throw notFound('organisation');
  return found;
}

/**
 * The master answering `dimensions` from the newest release that covers the `needed` month, releasing a
 * new one (through every releasable month) when none does. Serialised per year across instances.
 */
async function releasedMaster(
  ctx: ServiceContext,
  scope: YearScope,
  dimensions: string[],
  months: { needed: number; releasable: number },
) {
  const masterDimensions = masterDimensionsFor(scope.indicator, dimensions);
  const latest = await repository.latestRelease(ctx.db, scope.organisationId, scope.indicator, scope.year);
  if (latest && latest.throughMonth >= months.needed) {
    return loadMaster(ctx.db, { ...scope, throughMonth: latest.throughMonth }, masterDimensions);
  }
  return ctx.transaction(async (tx) => {
    await repository.lockYear(tx, scope.organisationId, scope.indicator, scope.year);
    const current = await repository.latestRelease(tx, scope.organisationId, scope.indicator, scope.year);
    if (current && current.throughMonth >= months.needed) {
      return loadMaster(tx, { ...scope, throughMonth: current.throughMonth }, masterDimensions);
    }
    const previous = current && (await loadRelease(tx, { ...scope, throughMonth: current.throughMonth }));
    // k is fixed for the year by its first release: a later one must keep what the earlier one showed.
    const k = previous ? previous.k : ctx.config.indicators.k;
    const release = await newRelease(tx, scope, { throughMonth: months.releasable, k, previous });
    return release.masters.get(dimensionsKey(masterDimensions))!;
  });
}

async function newRelease(
  tx: DbHandle,
  scope: YearScope,
  release: { throughMonth: number; k: number; previous: Release | undefined },
) {
  const { throughMonth, k, previous } = release;
  const extracts = await frozenMonths(tx, scope, throughMonth);
  let computed: Release;
  try {
    computed = computeRelease({
      indicator: scope.indicator,
      k,
      throughMonth,
      extracts,
      ...(previous ? { previous } : {}),
    });
  } catch (error) {
    if (!(error instanceof LockConflictError)) throw error;
    throw conflict(
      'The new months cannot be released without changing what was already published for this year.',
    );
  }
  await repository.insertRelease(
    tx,
    { ...scope, throughMonth, k },
    [...computed.masters].map(([dimensions, master]) => ({ dimensions, master: encodeMaster(master) })),
  );
  return computed;
}

/** Months 1..throughMonth of the year as frozen extracts, freezing those not frozen yet (one GROUP BY). */
async function frozenMonths(tx: DbHandle, scope: YearScope, throughMonth: number): Promise<MonthExtract[]> {
  const { organisationId, indicator, year } = scope;
  const monthKey = (month: number) => `${year}-${String(month).padStart(2, '0')}`;
  const wanted = Array.from({ length: throughMonth }, (_, i) => monthKey(i + 1));
  const stored = await repository.readExtracts(tx, organisationId, indicator, wanted);
  const have = new Set(stored.map((extract) => extract.month));
  const missing = wanted.filter((month) => !have.has(month));
  const fresh: typeof stored = [];
  if (missing.length > 0) {
    const range = { from: `${missing[0]}-01`, to: periodDateRange(parsePeriod(missing.at(-1)!)!).to };
    const counted = await repository.countRecords(tx, organisationId, indicator, range);
    for (const month of missing) {
      const cells = counted.filter((row) => row.month === month).map((row) => [...row.key, row.count]);
      fresh.push({ month, cells });
    }
    await repository.insertExtracts(tx, organisationId, indicator, fresh);
  }
  return [...stored, ...fresh].map((extract) => ({
    month: Number(extract.month.slice(5)),
    cells: extract.cells.map((tuple) => ({
      key: tuple.slice(0, -1) as string[],
      count: tuple.at(-1) as number,
    })),
  }));
}

async function loadMaster(db: DbHandle, release: YearScope & { throughMonth: number }, dimensions: string[]) {
  const [row] = await repository.releaseMasters(db, release, dimensionsKey(dimensions));
  if (!row) throw new Error('release without the master of its plan');
  return decodeMaster([...periodDimensions, ...dimensions], row.k, row.master);
}

async function loadRelease(db: DbHandle, release: YearScope & { throughMonth: number }): Promise<Release> {
  const rows = await repository.releaseMasters(db, release);
  const masters = new Map(
    rows.map((row) => [
      row.dimensions,
      decodeMaster([...periodDimensions, ...row.dimensions.split(',')], row.k, row.master),
    ]),
  );
  return { k: rows[0]!.k, throughMonth: release.throughMonth, masters };
}
