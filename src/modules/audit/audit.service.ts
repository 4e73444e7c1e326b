import type { Readable } from 'node:stream';
import { organisationOf } from '../../access/actor.js';
import type { ServiceContext } from '../../platform/request-context.js';
import { invalid, notFound } from '../../shared/errors.js';
import type { PageQuery } from '../../shared/pagination.js';
import { exportStream } from './audit.export.js';
import * as repository from './audit.repository.js';
import type { AuditEventRow, AuditQuery, ExportFormat } from './audit.schemas.js';
import { verifyAuditChain } from './audit.verification.js';

/**
 * The audit trail's read side (SPEC §7), for auditors (the access gate has checked `audit:read` or
 * `citizen:access_log`). An auditor sees the events of their own organisation only; events that belong to
 * no organisation — tokens of unknown subjects, anonymous requests, platform admins' actions — are
 * platform-level and not shown through this API to anybody (the platform operator reads them in the
 * database). Reading the trail is itself recorded, with the sequence numbers returned.
 */

/** Verification reads the whole table, which can take longer than the pool's per-statement limit. */
const verificationTimeoutMs = 10 * 60 * 1000;

export async function listEvents(ctx: ServiceContext, query: AuditQuery) {
  const filter = filterOf(ctx, query);
  const rows = await repository.listEvents(ctx.db, filter, { beforeSeq: decodeSeqCursor(query.cursor), limit: query.limit });
  const page = toSeqPage(rows, query.limit);
  ctx.audit({ citizenId: query.citizenId, caseId: query.caseId, details: { returnedSeqs: page.items.map((e) => e.seq), filters: filtersOf(query) } });
  return page;
}

export async function exportEvents(ctx: ServiceContext, query: AuditQuery, format: ExportFormat, onError: (error: Error) => void): Promise<Readable> {
  const filter = filterOf(ctx, query);
  // The export covers the trail as it stood when the request arrived, like a list, which records itself
  // after reading. Its own event is stored before the first byte leaves (access gate), and without this
  // bound whether the cursor saw it would depend on which reached the database first.
  const throughSeq = await repository.lastSeq(ctx.db);
  ctx.audit({ action: 'audit.export', citizenId: query.citizenId, caseId: query.caseId, details: { format, throughSeq, filters: filtersOf(query) } });
  return exportStream(ctx.db.$client, repository.exportQuery(ctx.db, filter, throughSeq), format, repository.eventOfExportRow, onError);
}

export async function citizenAccessLog(ctx: ServiceContext, citizenId: string, query: PageQuery) {
  const organisationId = organisationOf(ctx.actor);
  if (!(await repository.citizenExists(ctx.db, organisationId, citizenId))) throw notFound('citizen');
  const rows = await repository.listEvents(ctx.db, { organisationId, citizenId }, { beforeSeq: decodeSeqCursor(query.cursor), limit: query.limit });
  const page = toSeqPage(rows, query.limit);
  ctx.audit({ resourceId: citizenId, citizenId, details: { returnedSeqs: page.items.map((e) => e.seq) } });
  return page;
}

export async function verifyChain(ctx: ServiceContext) {
  return verifyAuditChain(ctx.db.$client, { statementTimeoutMs: verificationTimeoutMs });
}

function filterOf(ctx: ServiceContext, query: AuditQuery): repository.AuditFilter {
  return {
    organisationId: organisationOf(ctx.actor),
    actorId: query.actorId,
    citizenId: query.citizenId,
    caseId: query.caseId,
    action: query.action,
    outcome: query.outcome,
    emergency: query.emergency === undefined ? undefined : query.emergency === 'true',
    from: query.from,
    to: query.to,
  };
}

/** The filters as asked (ids, codes and times only), recorded with the auditor's own event. */
function filtersOf(query: AuditQuery) {
  const { limit: _limit, cursor: _cursor, ...filters } = query;
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
}

// Audit events are ordered by their sequence number, so the keyset is that number alone.
function decodeSeqCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const match = /^[\w-]{1,40}$/.test(cursor) ? /^s(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1')) : null;
  if (!match) throw invalid('query/cursor', 'is not a cursor this service issued');
  return Number(match[1]);
}

function toSeqPage(rows: AuditEventRow[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? Buffer.from(`s${last.seq}`, 'latin1').toString('base64url') : null };
}
