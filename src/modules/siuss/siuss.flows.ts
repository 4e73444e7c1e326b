import type { DbHandle } from '../../platform/database.js';
import { notFound } from '../../shared/errors.js';
import { flowIdDate, formatFlowId } from './siuss.flow-id.js';
import {
  psFlowInput,
  sinbaApplies,
  sinbaFlowInput,
  type Built,
  type InterventionSnapshot,
} from './siuss.flow-inputs.js';
import { normaliseTaxCode, xsdTaxCodePattern, type FlowKind } from './siuss.primitives.js';
import { sinbaBeneficiaryId } from './siuss.pseudonym.js';
import * as repository from './siuss.repository.js';
import { pseudonymKeyOf } from './siuss.runtime.js';
import { buildPsPsaSinaXml, buildSinbaXml } from './siuss.xml.js';
import { validateFlowXml, type FlowValidation } from './siuss.xsd.js';

/**
 * Turning an intervention's change into the flows INPS polls (issue 9, SPEC §9). Called inside the
 * transaction that records the change, so a flow exists exactly when the change commits.
 *
 * - SIUSS records benefits granted, not requests: an intervention yields flows once it is `active`,
 *   `suspended` or `ended`; a `requested` or `waitlisted` one yields none yet.
 * - One flow per (intervention, kind). A change re-issues the same `id_flusso` with a new `ts_flusso`, so
 *   INPS, polling with `since`, receives the intervention's latest state once; a cancellation re-issues the
 *   PS flow with TipoOperazione C. SINBA has no cancellation in its XSD, so a cancelled intervention leaves
 *   its SINBA flow as it was. A change that leaves a document identical is not re-issued.
 * - A document is built only from an input its zod schema accepts and sent only if the XSD accepts it;
 *   otherwise the reasons are stored on the flow (what the administrator's rejected-flows list shows) and a
 *   version published earlier stays as INPS has it.
 */
export type InterventionChange = 'created' | 'updated' | 'cancelled';

const grantedStatuses = new Set(['active', 'suspended', 'ended']);
const xsdNames: Record<FlowKind, string> = { PS_PSA_SINA: 'PS_PSA_SINA201812.xsd', SINBA: 'SINBA.xsd' };

/** One flow kind's document for a given id_flusso, checked against its XSD. */
type BuildDocument = (flowId: string) => Built<string>;

function checked<T>(kind: FlowKind, built: Built<T>, toXml: (input: T) => string): Built<string> {
  if (!built.ok) return built;
  const xml = toXml(built.input);
  let validation: FlowValidation;
  try {
    validation = validateFlowXml(kind, xml);
  } catch {
    // The official XSDs are read from disk on first use; without them nothing is sent unchecked, and the
    // change that triggered the flow still commits.
    return { ok: false, problems: [`document: ${xsdNames[kind]} could not be loaded`] };
  }
  if (validation.valid) return { ok: true, input: xml };
  // libxml2 quotes the offending values in its messages: keep only where, never what.
  const lines = validation.errors.map((error) => /^line \d+/.exec(error)?.[0] ?? 'document');
  return {
    ok: false,
    problems: [...new Set(lines)].map((where) => `document: not valid against ${xsdNames[kind]} (${where})`),
  };
}

async function publish(
  tx: DbHandle,
  s: InterventionSnapshot,
  kind: FlowKind,
  day: string,
  build: BuildDocument,
): Promise<void> {
  const key = { organisationId: s.organisation.id, interventionId: s.intervention.id, kind };
  const existing = await repository.findFlow(tx, s.intervention.id, kind);
  // A first document is checked under a provisional id, so that a failed attempt allocates no number.
  const provisional =
    existing?.flowId ??
    formatFlowId({ enteCode: s.organisation.belfioreCode, kind, date: day, progressive: 1 });
  const attempt = build(provisional);
  if (!attempt.ok) return repository.saveProblems(tx, { ...key, problems: attempt.problems });
  if (existing?.flowId && attempt.input === existing.document)
    return repository.clearProblems(tx, s.intervention.id, kind);

  let flowId = provisional;
  let document = attempt.input;
  if (!existing?.flowId) {
    flowId = formatFlowId({
      enteCode: s.organisation.belfioreCode,
      kind,
      date: day,
      progressive: await repository.nextProgressive(tx, s.organisation.id, day),
    });
    const final = build(flowId);
    if (!final.ok) return repository.saveProblems(tx, { ...key, problems: final.problems });
    document = final.input;
  }
  // Last, so that the per-organisation lock behind the timestamp is held for as short a time as possible.
  const tsFlusso = await repository.nextFlowTimestamp(tx, s.organisation.id);
  await repository.savePublishedFlow(tx, { ...key, flowId, tsFlusso, document });
}

async function recordPs(
  tx: DbHandle,
  s: InterventionSnapshot,
  change: InterventionChange,
  day: string,
): Promise<void> {
  if (change === 'cancelled') {
    const existing = await repository.findFlow(tx, s.intervention.id, 'PS_PSA_SINA');
    // Nothing was ever sent: there is nothing for INPS to cancel.
    if (!existing?.flowId) return repository.clearProblems(tx, s.intervention.id, 'PS_PSA_SINA');
  } else if (!grantedStatuses.has(s.intervention.status)) {
    return;
  }
  const operation = change === 'cancelled' ? 'delete' : 'insert';
  await publish(tx, s, 'PS_PSA_SINA', day, (flowId) =>
    checked('PS_PSA_SINA', psFlowInput(s, flowId, operation), buildPsPsaSinaXml),
  );
}

function beneficiaryIdOf(s: InterventionSnapshot): string | null {
  const key = pseudonymKeyOf(s.organisation.id);
  const taxCode = normaliseTaxCode(s.citizen.fiscalCode);
  return key && xsdTaxCodePattern.test(taxCode) ? sinbaBeneficiaryId(key, taxCode) : null;
}

async function recordSinba(
  tx: DbHandle,
  s: InterventionSnapshot,
  change: InterventionChange,
  day: string,
): Promise<void> {
  if (change === 'cancelled' || !grantedStatuses.has(s.intervention.status) || !sinbaApplies(s, day)) return;
  const beneficiaryId = beneficiaryIdOf(s);
  await publish(tx, s, 'SINBA', day, (flowId) =>
    checked('SINBA', sinbaFlowInput(s, flowId, beneficiaryId, day), buildSinbaXml),
  );
}

/**
 * The hook for the interventions module: call it inside the transaction that creates, changes or cancels
 * an intervention. Problems with the data never fail that transaction; they are stored on the flow.
 */
export async function recordSiussFlows(
  tx: DbHandle,
  interventionId: string,
  change: InterventionChange,
): Promise<void> {
  const snapshot = await repository.findSnapshot(tx, interventionId);
  if (!snapshot) throw notFound('intervention');
  const day = flowIdDate(new Date());
  await recordPs(tx, snapshot, change, day);
  await recordSinba(tx, snapshot, change, day);
}
