import { z } from 'zod';
import { userAreas } from '../../shared/domain.js';
import { uuid } from '../../shared/schemas.js';

/**
 * What citizens' portals see without a token. Declared field by field on purpose: the serializer drops
 * everything else, so no internal id (organisation, staff, versions) and nothing personal can leave here.
 */
export const belfioreParams = z.object({
  belfioreCode: z.string().regex(/^[A-Z][0-9]{3}$/, 'must be a Belfiore code such as F205'),
});

const publishedOrganisation = z.object({ belfioreCode: z.string(), name: z.string() });

export const publicService = z
  .object({
    id: uuid,
    name: z.string(),
    description: z.string(),
    eligibility: z.string().nullable(),
    howToApply: z.string().nullable(),
    officeId: uuid.nullable(),
    userAreas: z.array(z.enum(userAreas)),
    siussCode: z.string(),
    periodic: z.boolean(),
    meansTestType: z.number().int().nullable(),
  })
  .meta({ id: 'PublicService' });

export const publicOffice = z
  .object({
    id: uuid,
    name: z.string(),
    address: z.string(),
    openingHours: z.string(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    accessibilityNotes: z.string().nullable(),
  })
  .meta({ id: 'PublicOffice' });

export const publicServiceList = z
  .object({ organisation: publishedOrganisation, items: z.array(publicService) })
  .meta({ id: 'PublicServiceList' });
export const publicOfficeList = z
  .object({ organisation: publishedOrganisation, items: z.array(publicOffice) })
  .meta({ id: 'PublicOfficeList' });

export const notModified = z.null().describe('Not modified: the ETag in If-None-Match is current.');
