import type { z } from 'zod';
import { caseAuditFacts } from '../../access/case-resource.js';
import { requireCaseAccess, type ScopedCase } from '../../access/case-scope.js';
import { staleVersion } from '../../platform/http-conventions.js';
import type { ServiceContext } from '../../platform/request-context.js';
import { AppError, invalid, notFound } from '../../shared/errors.js';
import { toPage } from '../../shared/pagination.js';
import * as repository from './notes.repository.js';
import type { CorrectNoteInput, CreateNoteInput, noteListQuery } from './notes.schemas.js';

/**
 * The diary (SPEC §3). Anyone who may write the case may add a note; a `restricted` note only someone who
 * may also read restricted notes, or its author would lose sight of it. A correction is made by the note's
 * author or by a coordinator of the case's team (the professional responsible for the team's records);
 * nobody else rewrites a colleague's words. Audit events carry note ids and versions, never the text.
 */
const clockSkewMs = 5 * 60_000;

async function requireVisibleNote(ctx: ServiceContext, scoped: ScopedCase, noteId: string) {
  const found = await repository.findNote(ctx.db, ctx.actor, {
    organisationId: scoped.organisationId,
    caseId: scoped.id,
    noteId,
  });
  if (!found) throw notFound('note');
  return found;
}

const notesHaveNoDeferredRules = { deferredRules: false };

/**
 * The case's scope is checked by the insert itself (`insertNoteInScope`): 404 outside it, as everywhere, and
 * before the date is judged, so that a 400 never answers for a case the caller cannot see (a bad date rolls
 * the insert back). A restricted note first needs the case in scope and the right to restricted notes.
 */
export async function createNote(ctx: ServiceContext, caseId: string, input: CreateNoteInput) {
  if (input.confidentiality === 'restricted') {
    const scoped = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'write');
    ctx.audit(caseAuditFacts(scoped));
    if (!(await repository.mayUseRestrictedNotes(ctx.db, ctx.actor, caseId))) {
      throw new AppError(
        'forbidden',
        'Only the social workers assigned to the case and the coordinators of its team write restricted notes.',
      );
    }
  }
  const occurredAt = new Date(input.occurredAt);
  return ctx.transaction(async (tx) => {
    const created = await repository.insertNoteInScope(
      tx,
      ctx.actor,
      { caseId, kind: input.kind, occurredAt, confidentiality: input.confidentiality, authorId: ctx.actor.id },
      input.text,
    );
    if (!created) throw notFound('case');
    // In the write scope, so not through an emergency grant (grants only read).
    ctx.audit(caseAuditFacts({ id: caseId, citizenId: created.case.citizenId, viaEmergency: false }));
    if (occurredAt.getTime() > Date.now() + clockSkewMs) throw invalid('body/occurredAt', 'must not be in the future');
    if (occurredAt.getUTCFullYear() < 1900) throw invalid('body/occurredAt', 'must not be before 1900');
    ctx.audit({ resourceId: created.note.id, details: { confidentiality: input.confidentiality } });
    return created.note;
  }, notesHaveNoDeferredRules);
}

export async function listNotes(ctx: ServiceContext, caseId: string, query: z.infer<typeof noteListQuery>) {
  const scoped = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'read');
  const rows = await repository.listNotes(ctx.db, ctx.actor, {
    ...query,
    organisationId: scoped.organisationId,
    caseId,
  });
  const page = toPage(rows, query.limit, (row) => row);
  ctx.audit({ ...caseAuditFacts(scoped), details: { returnedIds: page.items.map((n) => n.id) } });
  return page;
}

export async function getNote(ctx: ServiceContext, caseId: string, noteId: string) {
  const scoped = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'read');
  ctx.audit({ ...caseAuditFacts(scoped), resourceId: noteId });
  return requireVisibleNote(ctx, scoped, noteId);
}

export async function listVersions(ctx: ServiceContext, caseId: string, noteId: string) {
  const scoped = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'read');
  ctx.audit({ ...caseAuditFacts(scoped), resourceId: noteId });
  const items = await repository.listVersions(ctx.db, ctx.actor, {
    organisationId: scoped.organisationId,
    caseId,
    noteId,
  });
  if (items.length === 0) throw notFound('note');
  ctx.audit({ details: { returnedIds: [noteId], returnedVersions: items.map((v) => v.version) } });
  return { noteId, items };
}

export async function correctNote(
  ctx: ServiceContext,
  caseId: string,
  noteId: string,
  expectedVersion: number,
  input: CorrectNoteInput,
) {
  const scoped = await requireCaseAccess(ctx.db, ctx.actor, caseId, 'write');
  ctx.audit({ ...caseAuditFacts(scoped), resourceId: noteId });
  const current = await requireVisibleNote(ctx, scoped, noteId);
  const coordinatesTeam = ctx.actor.role === 'coordinator' && ctx.actor.teamIds.includes(scoped.teamId);
  if (current.authorId !== ctx.actor.id && !coordinatesTeam) {
    throw new AppError(
      'forbidden',
      "Only the note's author or a coordinator of the case's team corrects a note.",
    );
  }
  if (current.version !== expectedVersion) throw staleVersion();
  return ctx.transaction(async (tx) => {
    const version = await repository.addVersion(tx, noteId, expectedVersion, {
      ...input,
      authorId: ctx.actor.id,
    });
    if (!version) throw staleVersion();
    ctx.audit({ details: { fromVersion: expectedVersion, toVersion: version } });
    return (await repository.findNote(tx, ctx.actor, {
      organisationId: scoped.organisationId,
      caseId,
      noteId,
    }))!;
  }, notesHaveNoDeferredRules);
}
