/** One entry of the audit trail (SPEC §7), as the writer receives it. Ids only: never names or note text. */
export interface AuditEventInput {
  occurredAt: Date;
  actorId: string | null;
  actorSubject: string | null;
  actorRole: string | null;
  organisationId: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  citizenId: string | null;
  caseId: string | null;
  outcome: AuditOutcome;
  reason: string | null;
  emergency: boolean;
  requestId: string | null;
  clientAddress: string | null;
  details: Record<string, unknown> | null;
}

/** success: done; denied: 401/403/404; rejected: other 4xx (bad input, conflicts); error: 5xx. */
export type AuditOutcome = 'success' | 'denied' | 'rejected' | 'error';

export function outcomeOfStatus(status: number): AuditOutcome {
  if (status < 400) return 'success';
  if (status === 401 || status === 403 || status === 404) return 'denied';
  return status < 500 ? 'rejected' : 'error';
}
