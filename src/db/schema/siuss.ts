import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, version } from './columns.js';
import { interventions } from './interventions.js';
import { organisations, staff } from './identity.js';

/**
 * The SIUSS feed through INPS's WaaS e-service (SPEC §9). One row per (intervention, flow kind): a change
 * re-issues the same `id_flusso` with a new `ts_flusso` (src/modules/siuss/README.md explains why), so the
 * row holds the latest document INPS should see. `ts_flusso` is epoch milliseconds, strictly increasing per
 * organisation (assigned under an advisory lock held to commit), which is what `GET /flussi?since=` pages on.
 */
export const siussFlows = pgTable(
  'siuss_flows',
  {
    id: id(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    interventionId: uuid('intervention_id')
      .notNull()
      .references(() => interventions.id),
    kind: text('kind').$type<'PS_PSA_SINA' | 'SINBA'>().notNull(),
    /** `id_flusso`; null until a first valid document exists (a failed first attempt allocates nothing). */
    flowId: text('flow_id'),
    tsFlusso: bigint('ts_flusso', { mode: 'number' }),
    document: text('document'),
    /** Why the latest change could not be turned into a valid flow (field names and rules, never values). */
    problems: jsonb('problems').$type<string[]>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('siuss_flows_intervention_kind_uq').on(t.interventionId, t.kind),
    uniqueIndex('siuss_flows_flow_id_uq').on(t.organisationId, t.flowId),
    // Strictly increasing per organisation, hence unique; also the index the feed pages on.
    uniqueIndex('siuss_flows_ts_uq').on(t.organisationId, t.tsFlusso),
    index('siuss_flows_organisation_created_idx').on(t.organisationId, t.createdAt, t.id),
    check('siuss_flow_kind', sql`${t.kind} in ('PS_PSA_SINA', 'SINBA')`),
    check(
      'siuss_flow_published_together',
      sql`(${t.flowId} is null) = (${t.tsFlusso} is null) and (${t.flowId} is null) = (${t.document} is null)`,
    ),
  ],
);

/** The daily progressive number of `id_flusso` (NNNNNNN), per organisation and Europe/Rome calendar day. */
export const siussFlowCounters = pgTable(
  'siuss_flow_counters',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    day: date('day').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.day] })],
);

/**
 * Outcomes INPS posts to `/esiti`, kept as received. `siuss_flow_id` is null for an `id_flusso` this
 * organisation never issued (reported, not fatal). The unique key makes a repeated post a no-op.
 */
export const siussOutcomes = pgTable(
  'siuss_outcomes',
  {
    id: id(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    siussFlowId: uuid('siuss_flow_id').references(() => siussFlows.id),
    interventionId: uuid('intervention_id').references(() => interventions.id),
    flowId: text('flow_id').notNull(),
    kind: text('kind').notNull(),
    tsFlusso: bigint('ts_flusso', { mode: 'number' }).notNull(),
    acquiredAt: timestamp('acquired_at', { withTimezone: true, precision: 3 }).notNull(),
    code: text('code').notNull(),
    description: text('description'),
    siussAcquisitionId: text('siuss_acquisition_id'),
    receivedAt: createdAt(),
  },
  (t) => [
    uniqueIndex('siuss_outcomes_uq').on(t.organisationId, t.flowId, t.tsFlusso, t.acquiredAt, t.code),
    index('siuss_outcomes_flow_idx').on(t.siussFlowId, t.tsFlusso),
    index('siuss_outcomes_intervention_idx').on(t.interventionId),
    check(
      'siuss_outcome_code',
      sql`${t.code} in ('OK', 'DATI_NON_TROVATI', 'RICHIESTA_INVALIDA', 'ERRORE_GENERICO')`,
    ),
  ],
);

/** Per-organisation SIUSS settings: Ente@CFOperatore, the codice fiscale every flow header must carry. */
export const siussSettings = pgTable('siuss_settings', {
  organisationId: uuid('organisation_id')
    .primaryKey()
    .references(() => organisations.id),
  operatorTaxCode: text('operator_tax_code').notNull(),
  updatedBy: uuid('updated_by').references(() => staff.id),
  updatedAt: updatedAt(),
  version: version(),
});
