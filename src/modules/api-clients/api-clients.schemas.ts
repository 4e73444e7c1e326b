import { z } from 'zod';
import { clientRoles } from '../../shared/domain.js';
import { nonEmpty, timestampOut, uuid } from '../../shared/schemas.js';

export const createApiClientBody = z.object({
  subject: nonEmpty(200),
  role: z.enum(clientRoles),
  name: nonEmpty(200),
  /** Platform admin only: the organisation the client belongs to. */
  organisationId: uuid.optional(),
  /** Platform admin only: further organisations a regional client pulls indicators for. */
  servedOrganisationIds: z.array(uuid).max(500).default([]),
});
export const apiClientListQuery = z.object({ organisationId: uuid.optional() });

export const apiClient = z
  .object({
    id: uuid,
    organisationId: uuid,
    subject: z.string(),
    role: z.enum(clientRoles),
    name: z.string(),
    active: z.boolean(),
    servedOrganisationIds: z.array(uuid),
    createdAt: timestampOut,
    version: z.number().int(),
  })
  .meta({ id: 'ApiClient' });
export const apiClientList = z.object({ items: z.array(apiClient) }).meta({ id: 'ApiClientList' });
