import { z } from 'zod';
import { timestampOut, uuid } from '../../shared/schemas.js';

export const belfioreCode = z.string().regex(/^[A-Z][0-9]{3}$/, 'must be a Belfiore code such as F205');
export const istatCode = z.string().regex(/^[0-9]{6}$/, 'must be a 6-digit ISTAT code');

const weight = z.number().min(0).max(10);
export const caseloadWeights = z
  .object({
    complexity: z.object({ '1': weight, '2': weight, '3': weight }),
    judicialMeasure: weight,
  })
  .meta({ id: 'CaseloadWeights' });

export const createOrganisationBody = z.object({ name: z.string().trim().min(1).max(200), belfioreCode, istatCode });
export const updateOrganisationBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    caseloadWeights,
    caseloadThreshold: z.number().positive().max(1000),
  })
  .partial();
export const populationBody = z.object({ residents: z.number().int().min(0).max(100_000_000) });
export const populationParams = z.object({ organisationId: uuid, year: z.coerce.number().int().min(1900).max(2200) });

export const organisation = z
  .object({
    id: uuid,
    name: z.string(),
    belfioreCode: z.string(),
    istatCode: z.string(),
    caseloadWeights,
    caseloadThreshold: z.number(),
    populations: z.array(z.object({ year: z.number().int(), residents: z.number().int() })),
    createdAt: timestampOut,
    version: z.number().int(),
  })
  .meta({ id: 'Organisation' });
export type OrganisationView = z.input<typeof organisation>;
