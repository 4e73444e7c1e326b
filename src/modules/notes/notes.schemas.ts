import { z } from 'zod';
import { noteConfidentialities, noteKinds } from '../../shared/domain.js';
import { pageOf, pageQuery } from '../../shared/pagination.js';
import { nonEmpty, timestamp, timestampOut, uuid } from '../../shared/schemas.js';

/**
 * Diary notes (SPEC §3). The text is never edited in place: a correction is a new version that keeps the
 * old one and says why. `version` is the current version number, and the ETag a correction must match.
 */
const noteText = nonEmpty(20_000);

export const createNoteBody = z.object({
  kind: z.enum(noteKinds),
  /** When the interview, visit or call took place (not in the future). */
  occurredAt: timestamp,
  text: noteText,
  /** `team`: everyone with access to the case; `restricted`: its assigned social workers and its team's coordinators. */
  confidentiality: z.enum(noteConfidentialities),
});

export const correctNoteBody = z.object({
  text: noteText,
  reason: nonEmpty(1000),
});

export const noteListQuery = pageQuery;

export const note = z
  .object({
    id: uuid,
    caseId: uuid,
    kind: z.enum(noteKinds),
    occurredAt: timestampOut,
    confidentiality: z.enum(noteConfidentialities),
    authorId: uuid,
    /** The current version's text. */
    text: z.string(),
    version: z.number().int(),
    createdAt: timestampOut,
    /** When the current version was written (the creation time until a correction). */
    updatedAt: timestampOut,
  })
  .meta({ id: 'Note' });
export const notePage = pageOf(note).meta({ id: 'NotePage' });

export const noteVersion = z
  .object({
    version: z.number().int(),
    text: z.string(),
    /** Why the text was corrected; null for the first version. */
    reason: z.string().nullable(),
    authorId: uuid,
    createdAt: timestampOut,
  })
  .meta({ id: 'NoteVersion' });
export const noteVersionList = z
  .object({ noteId: uuid, items: z.array(noteVersion) })
  .meta({ id: 'NoteVersionList' });

export type CreateNoteInput = z.infer<typeof createNoteBody>;
export type CorrectNoteInput = z.infer<typeof correctNoteBody>;
