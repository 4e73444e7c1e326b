import type { z } from 'zod';
import { organisationOf } from '../../access/actor.js';
import { requireCaseAccess, type ScopedCase } from '../../access/case-scope.js';
import type { ServiceContext } from '../../platform/request-context.js';
import { AppError, notFound } from '../../shared/errors.js';
import { toPage } from '../../shared/pagination.js';
import * as repository from './siuss.repository.js';
import type { FlowRow } from './siuss.repository.js';
import {
  defaultFlussiLimit,
  type codiciEsito,
  type ElencoEsiti,
  type EmittedEntries,
  type FlussiQuery,
  type TipoFlusso,
} from './siuss.schemas.js';
import type { flowStatuses, rejectedFlowsQuery } from './siuss.v1.schemas.js';
import { encodeFlow } from './siuss.xml.js';

const unique = <T>(values: T[]) => [...new Set(values)];
type Outcome = (typeof codiciEsito)[number];

/** GET /waas/v1/flussi: the caller's organisation's flows with ts_flusso > since, oldest first. */
export async function listFlows(ctx: ServiceContext, query: FlussiQuery): Promise<EmittedEntries> {
  const organisationId = organisationOf(ctx.actor);
  const limit = query.limit ?? query.max_entries ?? defaultFlussiLimit;
  const rows = limit === 0 ? [] : await repository.flowsSince(ctx.db, organisationId, query.since, limit);
  ctx.audit({
    details: { returnedIds: rows.map((r) => r.id), citizenIds: unique(rows.map((r) => r.citizenId)) },
  });
  return {
    elenco_flussi: rows.map((r) => ({
      codice_ente: r.enteCode,
      denominazione_ente: [...r.enteName].slice(0, 256).join(''),
      id_flusso: r.flowId!,
      tipo: r.kind,
      ts_flusso: new Date(r.tsFlusso!).toISOString(),
      flusso: encodeFlow(r.document!),
    })),
  };
}

/**
 * POST /waas/v1/esiti: every outcome is stored, on its flow (and so its intervention) when the id_flusso is
 * one of this organisation's; an unknown id is kept unattached and reported to the caller, never fatal —
 * a non-2xx answer would only make INPS send the same list again. Repeating a post stores nothing new.
 */
export async function recordOutcomes(
  ctx: ServiceContext,
  body: ElencoEsiti,
): Promise<{ unknownFlowIds: string[] }> {
  const organisationId = organisationOf(ctx.actor);
  const esiti = body.elenco_esiti ?? [];
  return ctx.transaction(async (tx) => {
    const flows = await repository.flowsByFlowIds(tx, organisationId, unique(esiti.map((e) => e.id_flusso)));
    const byFlowId = new Map(flows.map((f) => [f.flowId, f]));
    const inserted = await repository.insertOutcomes(
      tx,
      esiti.map((e) => {
        const flow = byFlowId.get(e.id_flusso);
        return {
          organisationId,
          siussFlowId: flow?.id ?? null,
          interventionId: flow?.interventionId ?? null,
          flowId: e.id_flusso,
          kind: e.tipo,
          tsFlusso: Date.parse(e.ts_flusso),
          acquiredAt: new Date(e.ts_acquisizione),
          code: e.codice_esito,
          description: e.descrizione_esito ?? null,
          siussAcquisitionId: e.id_acquisizione_siuss ?? null,
        };
      }),
    );
    const unknownFlowIds = unique(esiti.map((e) => e.id_flusso).filter((id) => !byFlowId.has(id)));
    ctx.audit({
      details: { matchedIds: flows.map((f) => f.id), unknownFlowIds, received: esiti.length, inserted },
    });
    return { unknownFlowIds };
  });
}

function statusOf(row: FlowRow): (typeof flowStatuses)[number] {
  if (row.problems) return 'not_produced';
  if (!row.outcomeCode) return 'pending';
  return row.outcomeCode === 'OK' ? 'accepted' : 'rejected';
}

const tsOf = (row: FlowRow) => (row.tsFlusso === null ? null : new Date(row.tsFlusso));

const notFoundAsNull = (error: unknown): null => {
  if (error instanceof AppError && error.code === 'not_found') return null;
  throw error;
};

/** The intervention's case, for the case scope; out of scope and nonexistent answer the same 404. */
async function requireInterventionAccess(ctx: ServiceContext, interventionId: string): Promise<ScopedCase> {
  const caseId = await repository.findInterventionCase(ctx.db, organisationOf(ctx.actor), interventionId);
  const scoped = caseId
    ? await requireCaseAccess(ctx.db, ctx.actor, caseId, 'read').catch(notFoundAsNull)
    : null;
  if (!scoped) throw notFound('intervention');
  return scoped;
}

/** GET /v1/interventions/{id}/siuss-flows: what INPS has of this intervention, for the case's workers. */
export async function interventionFlows(ctx: ServiceContext, interventionId: string) {
  const scoped = await requireInterventionAccess(ctx, interventionId);
  const rows = await repository.flowsOfIntervention(ctx.db, scoped.organisationId, interventionId);
  ctx.audit({
    caseId: scoped.id,
    citizenId: scoped.citizenId,
    resourceId: interventionId,
    emergency: scoped.viaEmergency,
    details: { returnedIds: rows.map((r) => r.id) },
  });
  return {
    items: rows.map((r) => ({
      id: r.id,
      flowId: r.flowId,
      type: r.kind as TipoFlusso,
      tsFlusso: tsOf(r),
      status: statusOf(r),
      problems: r.problems ?? [],
      outcome:
        r.outcomeCode && r.acquiredAt
          ? {
              code: r.outcomeCode as Outcome,
              description: r.outcomeDescription,
              siussAcquisitionId: r.siussAcquisitionId,
              acquiredAt: r.acquiredAt,
            }
          : null,
      updatedAt: r.updatedAt,
    })),
  };
}

// INPS's free-text descriptions may quote a codice fiscale; the administrator sees no case content.
const taxCodeLike =
  /\b(?:[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]|[0-9]{11})\b/gi;
const masked = (text: string) => text.replace(taxCodeLike, '[codice fiscale]');

/** GET /v1/siuss/rejected-flows: the organisation's flows that did not reach SIUSS, newest first. */
export async function rejectedFlows(ctx: ServiceContext, query: z.infer<typeof rejectedFlowsQuery>) {
  const rows = await repository.rejectedFlows(ctx.db, organisationOf(ctx.actor), query);
  const page = toPage(rows, query.limit, (r) => ({
    id: r.id,
    flowId: r.flowId,
    type: r.kind as TipoFlusso,
    interventionId: r.interventionId,
    tsFlusso: tsOf(r),
    status: r.problems ? ('not_produced' as const) : ('rejected' as const),
    outcomeCode: r.problems ? null : (r.outcomeCode as Outcome),
    errors: r.problems ?? [masked(r.outcomeDescription ?? r.outcomeCode ?? '')],
    createdAt: r.createdAt,
  }));
  ctx.audit({ details: { returnedIds: page.items.map((f) => f.id) } });
  return page;
}
