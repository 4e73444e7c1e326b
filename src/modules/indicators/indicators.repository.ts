import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import {
  cases,
  citizens,
  indicatorExtracts,
  indicatorReleases,
  interventions,
  organisations,
  services,
} from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';
import { ageBands, UNKNOWN_VALUE } from './indicators.grid.js';
import type { StoredMaster } from './indicators.master-codec.js';
import type { IndicatorKind } from './indicators.release.js';

export async function findOrganisation(db: DbHandle, where: { id: string } | { belfioreCode: string }) {
  const [row] = await db
    .select({ id: organisations.id, belfioreCode: organisations.belfioreCode })
    .from(organisations)
    .where(
      'id' in where ? eq(organisations.id, where.id) : eq(organisations.belfioreCode, where.belfioreCode),
    );
  return row;
}

/** Serialises the releases of one organisation's indicator and year across instances, to commit. */
export async function lockYear(tx: DbHandle, organisationId: string, indicator: IndicatorKind, year: number) {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`indicators:${organisationId}:${indicator}:${year}`}, 0))`,
  );
}

/** The newest release of the year: how far it reaches and its k, or undefined if none yet. */
export async function latestRelease(
  db: DbHandle,
  organisationId: string,
  indicator: IndicatorKind,
  year: number,
) {
  const [row] = await db
    .select({ throughMonth: indicatorReleases.throughMonth, k: indicatorReleases.k })
    .from(indicatorReleases)
    .where(releaseOf(organisationId, indicator, year))
    .orderBy(desc(indicatorReleases.throughMonth))
    .limit(1);
  return row;
}

/** One master of a release: none if the release has not computed it yet (a null master: not publishable). */
export async function releaseMaster(
  db: DbHandle,
  release: { organisationId: string; indicator: IndicatorKind; year: number; throughMonth: number },
  dimensions: string,
) {
  return db
    .select({ k: indicatorReleases.k, master: indicatorReleases.master })
    .from(indicatorReleases)
    .where(
      and(
        releaseOf(release.organisationId, release.indicator, release.year),
        eq(indicatorReleases.throughMonth, release.throughMonth),
        eq(indicatorReleases.dimensions, dimensions),
      ),
    );
}

/** The releases of the year that hold a row for one master, newest first, and whether it was published. */
export async function masterVersions(
  db: DbHandle,
  year: { organisationId: string; indicator: IndicatorKind; year: number },
  dimensions: string,
) {
  return db
    .select({
      throughMonth: indicatorReleases.throughMonth,
      k: indicatorReleases.k,
      published: sql<boolean>`${indicatorReleases.master} is not null`,
    })
    .from(indicatorReleases)
    .where(
      and(
        releaseOf(year.organisationId, year.indicator, year.year),
        eq(indicatorReleases.dimensions, dimensions),
      ),
    )
    .orderBy(desc(indicatorReleases.throughMonth));
}

export async function insertRelease(
  db: DbHandle,
  release: {
    organisationId: string;
    indicator: IndicatorKind;
    year: number;
    throughMonth: number;
    k: number;
  },
  masters: Array<{ dimensions: string; master: StoredMaster | null }>,
) {
  await db.insert(indicatorReleases).values(masters.map((m) => ({ ...release, ...m })));
}

const releaseOf = (organisationId: string, indicator: IndicatorKind, year: number) =>
  and(
    eq(indicatorReleases.organisationId, organisationId),
    eq(indicatorReleases.indicator, indicator),
    eq(indicatorReleases.year, year),
  );

/** Frozen months (`YYYY-MM`) of an organisation's indicator, with their counts. */
export async function readExtracts(
  db: DbHandle,
  organisationId: string,
  indicator: IndicatorKind,
  months: string[],
) {
  return db
    .select({ month: indicatorExtracts.month, cells: indicatorExtracts.cells })
    .from(indicatorExtracts)
    .where(
      and(
        eq(indicatorExtracts.organisationId, organisationId),
        eq(indicatorExtracts.indicator, indicator),
        inArray(indicatorExtracts.month, months),
      ),
    );
}

export async function insertExtracts(
  db: DbHandle,
  organisationId: string,
  indicator: IndicatorKind,
  extracts: Array<{ month: string; cells: Array<Array<string | number>> }>,
) {
  if (extracts.length === 0) return;
  await db.insert(indicatorExtracts).values(extracts.map((e) => ({ organisationId, indicator, ...e })));
}

// ---- the one GROUP BY over the organisation's live rows, for the months being frozen ----

/**
 * Index of the age band (indicators.grid.ts `ageBands`) in completed years on the reference date; a birth
 * after it (a referral before birth) counts as age 0.
 */
const ageBandIndex = (referenceDate: SQL, birthDate: SQL) =>
  sql`width_bucket(greatest(0, extract(year from age(${referenceDate}, ${birthDate})))::int,
    ${sql.raw(
      `array[${ageBands
        .slice(1)
        .map((band) => band.min)
        .join(',')}]`,
    )})`;

/** A code that does not match its grid (free text typed into an address…) is never published: `unknown`. */
const codeOrUnknown = (value: SQL, pattern: string) =>
  sql`case when ${value} ~ ${pattern} then ${value} else ${UNKNOWN_VALUE} end`;
const municipality = codeOrUnknown(sql`${citizens.residence}->>'municipality'`, '^[A-Z][0-9]{3}$');
const siussCode = codeOrUnknown(sql`${services.siussCode}`, '^[A-Z][0-9]\\.[0-9]{2}(\\.[0-9]{2})?$');

type CountRow = {
  month: string;
  user_area: string;
  siuss_area: string;
  siuss_code?: string;
  age_band: number;
  sex: string;
  municipality: string;
  n: number;
};

/**
 * Counts per month and combination of the indicator's record dimensions over [from, to): cases by referral
 * date, interventions by actual start. Keys follow indicators.release.ts `recordDimensions`.
 */
export async function countRecords(
  db: DbHandle,
  organisationId: string,
  indicator: IndicatorKind,
  range: { from: string; to: string },
): Promise<Array<{ month: string; key: string[]; count: number }>> {
  const query =
    indicator === 'cases'
      ? sql`
        select to_char(${cases.referralDate}, 'YYYY-MM') as month, ${cases.userArea}::text as user_area,
          ${cases.siussArea}::text as siuss_area,
          ${ageBandIndex(sql`${cases.referralDate}`, sql`${citizens.birthDate}`)} as age_band,
          ${citizens.sex}::text as sex, ${municipality} as municipality, count(*)::int as n
        from ${cases} join ${citizens} on ${citizens.id} = ${cases.citizenId}
        where ${cases.organisationId} = ${organisationId}
          and ${cases.referralDate} >= ${range.from} and ${cases.referralDate} < ${range.to}
        group by 1, 2, 3, 4, 5, 6`
      : sql`
        select to_char(${interventions.actualStart}, 'YYYY-MM') as month, ${cases.userArea}::text as user_area,
          ${cases.siussArea}::text as siuss_area, ${siussCode} as siuss_code,
          ${ageBandIndex(sql`${interventions.actualStart}`, sql`${citizens.birthDate}`)} as age_band,
          ${citizens.sex}::text as sex, ${municipality} as municipality, count(*)::int as n
        from ${interventions}
          join ${cases} on ${cases.id} = ${interventions.caseId}
          join ${citizens} on ${citizens.id} = ${cases.citizenId}
          join ${services} on ${services.id} = ${interventions.serviceId}
        where ${interventions.organisationId} = ${organisationId} and ${cases.organisationId} = ${organisationId}
          and ${interventions.actualStart} >= ${range.from} and ${interventions.actualStart} < ${range.to}
        group by 1, 2, 3, 4, 5, 6, 7`;
  const { rows } = await db.execute<CountRow>(query);
  return rows.map((row) => {
    const values = [
      row.user_area,
      row.siuss_area,
      row.siuss_code,
      ageBands[row.age_band]!.key,
      row.sex,
      row.municipality,
    ];
    return { month: row.month, key: values.filter((value) => value !== undefined), count: row.n };
  });
}
