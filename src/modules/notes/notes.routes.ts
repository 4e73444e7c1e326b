import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireIfMatch, setEtag } from '../../platform/http-conventions.js';
import { serviceContext } from '../../platform/request-context.js';
import { idParams, idempotencyHeader, ifMatchHeader, problemResponses } from '../../shared/schemas.js';
import * as service from './notes.service.js';
import {
  correctNoteBody,
  createNoteBody,
  note,
  noteListQuery,
  notePage,
  noteVersionList,
} from './notes.schemas.js';

const tags = ['notes'];
const audit = (action: string) => ({ action, resourceType: 'note' });
const confidentiality =
  'Restricted notes are returned only to the social workers assigned to the case and the coordinators of its team; for ' +
  'everyone else they do not exist (404 by id, absent from lists).';

export const notesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/cases/:caseId/notes',
    {
      config: { access: 'note:write', audit: audit('note.create'), idempotent: true },
      schema: {
        summary: 'Add a diary note to a case',
        description: `Anyone who may write the case adds team notes. ${confidentiality}`,
        tags,
        params: idParams('caseId'),
        headers: idempotencyHeader,
        body: createNoteBody,
        response: { 201: note, ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await service.createNote(serviceContext(request), request.params.caseId, request.body);
      setEtag(reply, created.version);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/cases/:caseId/notes',
    {
      config: { access: 'note:read', audit: audit('note.list') },
      schema: {
        summary: 'The case’s diary, newest first: each note’s current text and version',
        description: confidentiality,
        tags,
        params: idParams('caseId'),
        querystring: noteListQuery,
        response: { 200: notePage, ...problemResponses },
      },
    },
    async (request) => service.listNotes(serviceContext(request), request.params.caseId, request.query),
  );

  app.get(
    '/v1/cases/:caseId/notes/:noteId',
    {
      config: { access: 'note:read', audit: audit('note.read') },
      schema: {
        summary: 'Read a note (current version; the ETag is its version number)',
        description: confidentiality,
        tags,
        params: idParams('caseId', 'noteId'),
        response: { 200: note, ...problemResponses },
      },
    },
    async (request, reply) => {
      const found = await service.getNote(
        serviceContext(request),
        request.params.caseId,
        request.params.noteId,
      );
      setEtag(reply, found.version);
      return found;
    },
  );

  app.get(
    '/v1/cases/:caseId/notes/:noteId/versions',
    {
      config: { access: 'note:read', audit: audit('note.read') },
      schema: {
        summary: 'Every version of a note, oldest first, with the reason of each correction',
        description: confidentiality,
        tags,
        params: idParams('caseId', 'noteId'),
        response: { 200: noteVersionList, ...problemResponses },
      },
    },
    async (request) =>
      service.listVersions(serviceContext(request), request.params.caseId, request.params.noteId),
  );

  app.post(
    '/v1/cases/:caseId/notes/:noteId/versions',
    {
      config: { access: 'note:write', audit: audit('note.version'), idempotent: true },
      schema: {
        summary: 'Correct a note: a new version with its reason; the old text is kept',
        description:
          'Only the note’s author or a coordinator of the case’s team corrects it (403 otherwise). Send the version you read in ' +
          'If-Match (428 without it, 412 when someone corrected it meanwhile). Answers with the note at its new version.',
        tags,
        params: idParams('caseId', 'noteId'),
        headers: idempotencyHeader.extend(ifMatchHeader.shape),
        body: correctNoteBody,
        response: { 201: note, ...problemResponses },
      },
    },
    async (request, reply) => {
      const expected = requireIfMatch(request);
      const { caseId, noteId } = request.params;
      const corrected = await service.correctNote(
        serviceContext(request),
        caseId,
        noteId,
        expected,
        request.body,
      );
      setEtag(reply, corrected.version);
      return reply.code(201).send(corrected);
    },
  );
};
