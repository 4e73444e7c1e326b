import { z } from 'zod';
import { pageOf, pageQuery } from '../../shared/pagination.js';
import { timestampOut, uuid } from '../../shared/schemas.js';
import { codiciEsito, tipoFlussoSchema } from './siuss.schemas.js';
import { taxCodeSchema } from './siuss.primitives.js';

/** Cartella's own /v1 views of the SIUSS feed (the WaaS shapes are in siuss.schemas.ts). */

/**
 * not_produced: the latest change could not be turned into a valid flow (see `problems`); pending: sent,
 * no outcome yet for this version; accepted / rejected: INPS's outcome for the version it has now.
 */
export const flowStatuses = ['not_produced', 'pending', 'accepted', 'rejected'] as const;

const outcome = z
  .object({
    code: z.enum(codiciEsito),
    description: z.string().nullable(),
    /** id_acquisizione_siuss: the SIUSS acquisition code, given with OK. */
    siussAcquisitionId: z.string().nullable(),
    acquiredAt: timestampOut,
  })
  .meta({ id: 'SiussOutcome' });

export const interventionFlow = z
  .object({
    id: uuid,
    /** id_flusso; null while no valid document was ever produced. */
    flowId: z.string().nullable(),
    type: tipoFlussoSchema,
    tsFlusso: timestampOut.nullable(),
    status: z.enum(flowStatuses),
    problems: z.array(z.string()),
    outcome: outcome.nullable(),
    updatedAt: timestampOut,
  })
  .meta({ id: 'SiussInterventionFlow' });
export const interventionFlows = z
  .object({ items: z.array(interventionFlow) })
  .meta({ id: 'SiussInterventionFlows' });

/** For the organisation's administrator: ids, types and errors only — no names, no case content. */
export const rejectedFlow = z
  .object({
    id: uuid,
    flowId: z.string().nullable(),
    type: tipoFlussoSchema,
    interventionId: uuid,
    tsFlusso: timestampOut.nullable(),
    status: z.enum(['not_produced', 'rejected']),
    outcomeCode: z.enum(codiciEsito).nullable(),
    errors: z.array(z.string()),
    createdAt: timestampOut,
  })
  .meta({ id: 'SiussRejectedFlow' });
export const rejectedFlowsQuery = pageQuery;
export const rejectedFlowsPage = pageOf(rejectedFlow).meta({ id: 'SiussRejectedFlowPage' });

export const siussSettingsBody = z.object({
  /** Ente@CFOperatore: the codice fiscale of the operator responsible for the flows (or the ente's own). */
  operatorTaxCode: taxCodeSchema,
});
export const siussSettings = z
  .object({
    organisationId: uuid,
    operatorTaxCode: z.string(),
    updatedAt: timestampOut,
    version: z.number().int(),
  })
  .meta({ id: 'SiussSettings' });
