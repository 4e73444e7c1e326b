import { z } from 'zod';
import { pageOf, pageQuery } from '../../shared/pagination.js';
import { isoDate, nonEmpty, timestampOut, uuid } from '../../shared/schemas.js';
import { sinaAssessmentData, sinbaAssessmentData } from '../siuss/siuss.assessment-data.js';

/**
 * Assessments (valutazioni, SPEC §3). The structured blocks are the SIUSS ones, stored as sent in the
 * jsonb columns `sina` / `sinba` and read back by the SIUSS flows with these very schemas
 * (src/modules/siuss/siuss.assessment-data.ts), so what is accepted here is what INPS accepts:
 * - `sina` — SINAType of PS_PSA_SINA201812.xsd (disability and non-self-sufficiency): mobility (Mobilita),
 *   dailyLivingActivities (AttivitaVitaQuotidiana), cognitiveDisorders (DisturbiAreaCognitiva),
 *   behaviouralDisorders (DisturbiComportamentali), healthCareNeeds (NecessitaCureSanitarie), incomeSituation
 *   (AreaReddituale), supportNetwork (AreaSupporto), assessmentSource (FonteDerivazioneValutazione),
 *   assessmentInstrument (StrumentoValutazione), disabilityEvidenceSource (FonteDerivazioneInvalidita),
 *   civilDisabilityCertifications (InvaliditaCivile/InvCiv), neededBenefitCodes (NecessitaInterventiSociali).
 * - `sinba` — SinbaType of SINBA.xsd (minors and families): family composition, the child's condition,
 *   living place and school, parents, referral source, assessments of the child and the family, judicial
 *   measures, foster care and residential placement, closure. What the record already holds (birth year,
 *   residence, referral month, benefit) is taken from the record, not asked again.
 * Codes are the XSD enumerations ("1".."n"), yes/no as booleans, months as YYYY-MM.
 */
const day = isoDate.pipe(z.string().refine((d) => d >= '1900-01-01', 'must not be before 1900-01-01'));

export const createAssessmentBody = z.object({
  /** The day of the assessment (not in the future). */
  assessedOn: day,
  /** The instrument used (SVAMA, SVAMDI, a scale, an interview…). */
  instrument: nonEmpty(200),
  /** Who assessed: the social service, the UVM, a health service, a school… */
  source: nonEmpty(200),
  sina: sinaAssessmentData.optional(),
  sinba: sinbaAssessmentData.optional(),
  text: nonEmpty(20_000).optional(),
});

export const assessmentListQuery = pageQuery;

export const assessment = z
  .object({
    id: uuid,
    caseId: uuid,
    assessedOn: isoDate,
    instrument: z.string(),
    source: z.string(),
    sina: sinaAssessmentData.nullable(),
    sinba: sinbaAssessmentData.nullable(),
    text: z.string().nullable(),
    authorId: uuid,
    createdAt: timestampOut,
  })
  .meta({ id: 'Assessment' });
export const assessmentPage = pageOf(assessment).meta({ id: 'AssessmentPage' });

export type CreateAssessmentInput = z.infer<typeof createAssessmentBody>;
