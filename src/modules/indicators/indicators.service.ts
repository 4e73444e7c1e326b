import { organisationOf } from '../../access/actor.js';
import type { DbHandle } from '../../platform/database.js';
import type { ServiceContext } from '../../platform/request-context.js';
import { conflict, invalid, notFound } from '../../shared/errors.js';
import {
  monthsOf,
  parseDimensionList,
  parsePeriod,
  periodDateRange,
  type IndicatorDimension,
} from './indicators.grid.js';
import { decodeMaster, encodeMaster } from './indicators.master-codec.js';
import { periodDimensions } from './indicators.periods.js';
import {
  assertPublishable,
  breakdownsAllowed,
  computeMaster,
  computeTotals,
  dimensionsKey,
  releasableThrough,
  type IndicatorKind,
  type MonthExtract,
} from './indicators.release.js';
import * as repository from './indicators.repository.js';
import type { IndicatorQuery } from './indicators.schemas.js';
import { indicatorTable, type IndicatorTable } from './indicators.table.js';
import { LockConflictError, type PublishedTable } from './suppression.js';

interface YearScope {
  organisationId: string;
  indicator: IndicatorKind;
  year: number;
}
interface Version {
  throughMonth: number;
  k: number;
}

/**
 * One anonymised table (SPEC §8): a view of a protected master of the organisation's release for the
 * period's year. Releases and their masters are computed on the first request that needs them and then
 * served unchanged (INDICATORS.md).
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
  assertPublishable(indicator, dimensions);
  const scope = { organisationId: organisation.id, indicator, year: period.year };
  const version = await releaseCovering(ctx, scope, { needed: lastMonth, releasable });
  const master = await publishedMaster(ctx, scope, version, dimensions, lastMonth);
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
 * The newest release of the year if it covers the `needed` month, else a new one through every releasable
 * month: the months frozen, its totals protected with what the previous release showed locked. Serialised
 * per organisation, indicator and year across instances.
 */
async function releaseCovering(
  ctx: ServiceContext,
  scope: YearScope,
  months: { needed: number; releasable: number },
): Promise<Version> {
  const latest = await repository.latestRelease(ctx.db, scope.organisationId, scope.indicator, scope.year);
  if (latest && latest.throughMonth >= months.needed) return latest;
  return ctx.transaction(async (tx) => {
    await repository.lockYear(tx, scope.organisationId, scope.indicator, scope.year);
    const current = await repository.latestRelease(tx, scope.organisationId, scope.indicator, scope.year);
    if (current && current.throughMonth >= months.needed) return current;
    // k is fixed for the year by its first release: a later one must keep what the earlier one showed.
    const version = { throughMonth: months.releasable, k: current ? current.k : ctx.config.indicators.k };
    const previous = await previousMaster(tx, scope, []);
    let totals: PublishedTable;
    try {
      totals = computeTotals({
        indicator: scope.indicator,
        ...version,
        extracts: await frozenMonths(tx, scope, version.throughMonth),
        ...(previous ? { previous } : {}),
      });
    } catch (error) {
      if (!(error instanceof LockConflictError)) throw error;
      throw conflict(
        'The new months cannot be released without changing what was already published for this year.',
      );
    }
    await repository.insertRelease(tx, { ...scope, ...version }, [
      { dimensions: dimensionsKey([]), master: encodeMaster(totals) },
    ]);
    return version;
  });
}

/**
 * The master of `dimensions` that answers for the `needed` month: the newest published one covering it,
 * after computing it for the newest release if that release has not tried yet. None: 409.
 */
async function publishedMaster(
  ctx: ServiceContext,
  scope: YearScope,
  version: Version,
  dimensions: IndicatorDimension[],
  needed: number,
): Promise<PublishedTable> {
  const key = dimensionsKey(dimensions);
  let versions = await repository.masterVersions(ctx.db, scope, key);
  if (versions[0]?.throughMonth !== version.throughMonth) {
    await ctx.transaction(async (tx) => {
      await repository.lockYear(tx, scope.organisationId, scope.indicator, scope.year);
      let extracts: Promise<MonthExtract[]> | undefined;
      const release = {
        tx,
        scope,
        version,
        extracts: () => (extracts ??= frozenMonths(tx, scope, version.throughMonth)),
      };
      await releasedMaster(release, dimensions);
    });
    versions = await repository.masterVersions(ctx.db, scope, key);
  }
  const covering = versions.find((row) => row.published && row.throughMonth >= needed);
  if (!covering) {
    throw conflict(
      'This table cannot be published for this organisation and year without risking disclosure: too few records for this much detail. Ask for fewer dimensions or a longer period.',
    );
  }
  return (await loadMaster(ctx.db, { ...scope, ...covering }, dimensions))!;
}

interface ReleaseWork {
  tx: DbHandle;
  scope: YearScope;
  version: Version;
  /** The release's frozen months, read once per transaction. */
  extracts: () => Promise<MonthExtract[]>;
}

/**
 * The release's master of `dimensions` (null: not publishable), computing and storing it — and the
 * one-dimension masters it is locked to — if the release has not yet. Call under the year's lock.
 */
async function releasedMaster(
  release: ReleaseWork,
  dimensions: IndicatorDimension[],
): Promise<PublishedTable | null> {
  const { tx, scope, version } = release;
  const key = dimensionsKey(dimensions);
  const [existing] = await repository.releaseMaster(tx, { ...scope, ...version }, key);
  if (existing) return existing.master && decode(dimensions, existing);
  const totals = (await releasedMaster(release, []))!;
  const margins: Array<PublishedTable | null> = [];
  if (dimensions.length === 2) {
    for (const dimension of dimensions) margins.push(await releasedMaster(release, [dimension]));
  }
  let master: PublishedTable | null = null;
  if (breakdownsAllowed(totals, version.throughMonth) && margins.every((margin) => margin !== null)) {
    const previous = await previousMaster(tx, scope, dimensions);
    try {
      master = computeMaster({
        indicator: scope.indicator,
        ...version,
        extracts: await release.extracts(),
        dimensions,
        totals,
        margins: margins as PublishedTable[],
        ...(previous ? { previous } : {}),
      });
    } catch (error) {
      // Cannot be protected under its locks: too detailed for these numbers. Recorded, never retried.
      if (!(error instanceof LockConflictError)) throw error;
    }
  }
  await repository.insertRelease(tx, { ...scope, ...version }, [
    { dimensions: key, master: master && encodeMaster(master) },
  ]);
  return master;
}

/** The newest published master of `dimensions` in an earlier release of the year, with its reach. */
async function previousMaster(tx: DbHandle, scope: YearScope, dimensions: string[]) {
  const versions = await repository.masterVersions(tx, scope, dimensionsKey(dimensions));
  const published = versions.find((row) => row.published);
  if (!published) return undefined;
  return {
    throughMonth: published.throughMonth,
    master: (await loadMaster(tx, { ...scope, ...published }, dimensions))!,
  };
}

/** A stored master of a release; null if withheld there. */
async function loadMaster(db: DbHandle, release: YearScope & Version, dimensions: string[]) {
  const [row] = await repository.releaseMaster(db, release, dimensionsKey(dimensions));
  return row?.master ? decode(dimensions, row) : null;
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

function decode(dimensions: string[], row: { k: number; master: Parameters<typeof decodeMaster>[2] | null }) {
  return decodeMaster([...periodDimensions, ...dimensions], row.k, row.master!);
}
