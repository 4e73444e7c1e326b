import type { Actor } from '../../access/actor.js';
import { AppError } from '../../shared/errors.js';
import type { AuditEventInput, AuditOutcome } from './audit-event.js';
import type { AuditWriter } from './audit-writer.js';

export interface AuditSpec {
  /** e.g. `case.read`, `note.create`, `citizen.search`. */
  action: string;
  resourceType?: string;
}

/** What a service may add to its request's event: the ids concerned, and why. */
export interface AuditFacts {
  /**
   * The variant of the route's declared action that was served, when one operation has two (a list answered
   * as a streamed export is `audit.export`, not `audit.list`). Denials keep the declared action.
   */
  action?: string;
  resourceId?: string | null;
  citizenId?: string | null;
  caseId?: string | null;
  emergency?: boolean;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/**
 * The one audit event of a request. The platform creates it for every route that declares `audit`, and
 * appends it exactly once: services that change data flush it inside their transaction (so nothing is
 * committed without its trace); for everything else the platform flushes it before the response leaves.
 */
export class RequestAudit {
  private facts: AuditFacts = {};
  private flushed: Promise<void> | null = null;
  actor: Actor | null = null;
  /** Subject of a valid token that matches no staff member or client ("login of an unknown subject"). */
  unknownSubject: string | null = null;

  constructor(
    private readonly writer: AuditWriter,
    readonly spec: AuditSpec,
    private readonly request: { id: string; ip: string },
  ) {}

  record(facts: AuditFacts): void {
    this.facts = { ...this.facts, ...facts, details: { ...this.facts.details, ...facts.details } };
  }

  get isFlushed(): boolean {
    return this.flushed !== null;
  }

  /** Appends the event (once; later calls return the first result). */
  flush(outcome: AuditOutcome, reason?: string): Promise<void> {
    this.flushed ??= this.writer.append(this.toEvent(outcome, reason)).catch(() => {
      throw new AppError('audit_unavailable', 'The access could not be recorded, so it was not carried out.', {
        retryAfterSeconds: 5,
      });
    });
    return this.flushed;
  }

  private toEvent(outcome: AuditOutcome, reason?: string): AuditEventInput {
    const f = this.facts;
    const details = f.details && Object.keys(f.details).length > 0 ? f.details : null;
    return {
      occurredAt: new Date(),
      actorId: this.actor?.id ?? null,
      actorSubject: this.actor?.subject ?? this.unknownSubject,
      actorRole: this.actor?.role ?? null,
      organisationId: this.actor?.organisationId ?? null,
      action: f.action ?? this.spec.action,
      resourceType: this.spec.resourceType ?? null,
      resourceId: f.resourceId ?? null,
      citizenId: f.citizenId ?? null,
      caseId: f.caseId ?? null,
      outcome,
      reason: f.reason ?? reason ?? null,
      emergency: f.emergency ?? false,
      requestId: this.request.id,
      clientAddress: this.request.ip,
      details,
    };
  }
}
