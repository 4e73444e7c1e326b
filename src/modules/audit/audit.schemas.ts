import { z } from 'zod';
import { pageOf, pageQuery } from '../../shared/pagination.js';
import { timestamp, timestampOut, uuid } from '../../shared/schemas.js';

/**
 * What auditors see of the audit trail. The serializer drops every field not declared here, which is the
 * guarantee that the trail shows ids and actions only: `details` is declared key by key, so whatever else a
 * module might record there never leaves through this API.
 */
export const auditOutcomes = ['success', 'denied', 'rejected', 'error'] as const;

const actionName = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/, 'must be an action name such as case.read');

const auditFilters = z.object({
  actorId: uuid.optional(),
  citizenId: uuid.optional(),
  caseId: uuid.optional(),
  action: actionName.optional(),
  outcome: z.enum(auditOutcomes).optional(),
  emergency: z.enum(['true', 'false']).optional(),
  from: timestamp.optional().describe('inclusive'),
  to: timestamp.optional().describe('exclusive'),
});

export const auditQuery = pageQuery.extend(auditFilters.shape).refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
  path: ['to'],
  message: 'must be later than from',
});
export type AuditQuery = z.infer<typeof auditQuery>;

const auditDetails = z
  .object({
    returnedIds: z.array(uuid).optional(),
    returnedSeqs: z.array(z.number().int()).optional(),
    changed: z.array(z.string()).optional(),
    idempotentReplay: z.boolean().optional(),
    format: z.enum(['csv', 'ndjson']).optional(),
    throughSeq: z.number().int().optional().describe('an export: the newest event it could include'),
    filters: auditFilters.optional(),
  })
  .meta({ id: 'AuditEventDetails' });

export const auditEvent = z
  .object({
    seq: z.number().int(),
    occurredAt: timestampOut,
    actorId: uuid.nullable(),
    actorSubject: z.string().nullable(),
    actorRole: z.string().nullable(),
    organisationId: uuid.nullable(),
    action: z.string(),
    resourceType: z.string().nullable(),
    resourceId: uuid.nullable(),
    citizenId: uuid.nullable(),
    caseId: uuid.nullable(),
    outcome: z.enum(auditOutcomes),
    reason: z.string().nullable(),
    emergency: z.boolean(),
    requestId: z.string().nullable(),
    clientAddress: z.string().nullable(),
    details: auditDetails.nullable(),
  })
  .meta({ id: 'AuditEvent' });
/** An event as read from the database (times as Dates), and as it leaves the API (times as strings). */
export type AuditEventRow = z.output<typeof auditEvent>;
export type EncodedAuditEvent = z.input<typeof auditEvent>;
export const auditEventPage = pageOf(auditEvent).meta({ id: 'AuditEventPage' });

/** GDPR art. 15: who accessed a citizen's record, when, how, with what outcome. */
export const accessLogEntry = auditEvent
  .pick({ seq: true, occurredAt: true, actorId: true, actorRole: true, action: true, resourceType: true, resourceId: true, caseId: true, outcome: true, emergency: true })
  .meta({ id: 'CitizenAccessLogEntry' });
export const accessLogPage = pageOf(accessLogEntry).meta({ id: 'CitizenAccessLogPage' });

export const chainVerification = z
  .object({ valid: z.boolean(), checked: z.number().int(), firstBrokenSequence: z.number().int().nullable() })
  .meta({ id: 'AuditChainVerification' });

/** The streamed exports: one CSV row, or one JSON object per line, per event. */
export const exportFormats = { csv: 'text/csv', ndjson: 'application/x-ndjson' } as const;
export type ExportFormat = keyof typeof exportFormats;
