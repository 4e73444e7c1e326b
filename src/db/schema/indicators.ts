import { sql } from 'drizzle-orm';
import { char, check, jsonb, pgTable, primaryKey, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';
import { organisations } from './identity.js';

/**
 * Anonymised indicators (SPEC §8, src/modules/indicators/INDICATORS.md). Published numbers are never
 * revised: a revision could be differenced against the first publication. So the data of a month is frozen
 * once (an extract), and every table ever published is stored and served unchanged (a release).
 */

/**
 * The frozen data of one closed month: counts per combination of the indicator's dimensions (codes only,
 * no identifiers). Every release computes from these rows, never again from the live tables.
 */
export const indicatorExtracts = pgTable(
  'indicator_extracts',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    indicator: text('indicator').notNull(),
    /** `YYYY-MM`. */
    month: char('month', { length: 7 }).notNull(),
    /** `[value per dimension…, count]` tuples, dimensions in the indicator's fixed order. */
    cells: jsonb('cells').$type<Array<Array<string | number>>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.indicator, t.month] }),
    check('indicator_extract_indicator', sql`${t.indicator} in ('cases', 'interventions')`),
    check('indicator_extract_month', sql`${t.month} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
  ],
);

/**
 * One protected master table of a release: an organisation's indicator for a reference year, over the
 * months up to `through_month`, for one dimension set. A release is all the masters with the same
 * (organisation, indicator, year, through_month): the one-dimension masters, written together when the
 * release is made, and two-dimension masters added when first asked for. A later release of the same year
 * keeps every entry an earlier one showed.
 */
export const indicatorReleases = pgTable(
  'indicator_releases',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    indicator: text('indicator').notNull(),
    year: smallint('year').notNull(),
    throughMonth: smallint('through_month').notNull(),
    /** The master's dimensions, comma-separated in canonical order. */
    dimensions: text('dimensions').notNull(),
    k: smallint('k').notNull(),
    /**
     * The protected master (indicators.master-codec.ts): domains and one code per entry. Null: the table
     * cannot be protected consistently with the release's one-dimension tables, so it is not published.
     */
    master: jsonb('master').$type<{ domains: string[][]; entries: number[] }>(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.indicator, t.year, t.throughMonth, t.dimensions] }),
    check('indicator_release_indicator', sql`${t.indicator} in ('cases', 'interventions')`),
    check('indicator_release_through_month', sql`${t.throughMonth} between 1 and 12`),
    check('indicator_release_k', sql`${t.k} >= 3`),
  ],
);
