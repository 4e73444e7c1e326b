import { z } from 'zod';
import { timestampOut, uuid } from '../../shared/schemas.js';

export const teamBody = z.object({
  name: z.string().trim().min(1).max(120),
  /** Free text such as "minori e famiglia", "anziani", "disabilità". */
  area: z.string().trim().min(1).max(120),
});
export const updateTeamBody = teamBody.partial();
export const teamListQuery = z.object({ organisationId: uuid.optional() });

export const team = z
  .object({ id: uuid, organisationId: uuid, name: z.string(), area: z.string(), createdAt: timestampOut, version: z.number().int() })
  .meta({ id: 'Team' });
export const teamList = z.object({ items: z.array(team) }).meta({ id: 'TeamList' });
