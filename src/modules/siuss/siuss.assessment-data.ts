import { z } from 'zod';
import { sinaAssessmentSchema } from './siuss.flow-types.js';
import { decimalSchema } from './siuss.primitives.js';
import { sinbaFlowInputSchema } from './siuss.sinba-types.js';

/**
 * What the SIUSS flows read from an assessment (`assessments.sina`, `assessments.sinba`): the structured
 * fields of the XSDs under the camelCase names of siuss.flow-types.ts (SPEC §5: JSON properties are
 * camelCase), with the XSD code values ("1".."n"; yes/no as booleans; months as YYYY-MM). The assessments
 * module can validate its input with these schemas; the flows parse the stored JSON with them again, so a
 * record written before a rule changed is reported rather than sent.
 */

/** `assessments.sina`: the SINA block of a PS/PSA/SINA flow, exactly. */
export const sinaAssessmentData = sinaAssessmentSchema;

const s = sinbaFlowInputSchema.shape;

/**
 * `assessments.sinba`: the child's and family's situation. What the record already holds is not asked again:
 * the referral month and judicial measure come from the case, birth year, age band and residence from the
 * citizen, the benefit from the intervention. `isee` (the household's ISEE value) becomes the ISEE band;
 * SINBA never carries the value itself.
 */
export const sinbaAssessmentData = z.object({
  familyComposition: s.familyComposition,
  unaccompaniedForeignMinor: s.unaccompaniedForeignMinor,
  minorCondition: s.minorCondition,
  livingPlace: s.livingPlace,
  school: s.school,
  workCondition: s.workCondition,
  disability: s.disability,
  disabilityType: s.disabilityType,
  civilDisabilityCertification: s.civilDisabilityCertification,
  father: s.father,
  mother: s.mother,
  referralSource: s.referralSource,
  minorAssessment: s.minorAssessment,
  familyAssessment: s.familyAssessment,
  reportedToJudicialAuthority: s.reportedToJudicialAuthority,
  judicialReportMonth: s.judicialReportMonth,
  judicialMeasureMonth: s.judicialMeasureMonth,
  judicialAuthority: s.judicialAuthority,
  parentalAuthorityMeasure: s.parentalAuthorityMeasure,
  judicialMeasureType: s.judicialMeasureType,
  fosterCare: s.fosterCare,
  residentialPlacement: s.residentialPlacement,
  closure: s.closure,
  collaboration: s.collaboration,
  iseeHouseholdSize: s.iseeHouseholdSize,
  isee: decimalSchema.optional(),
});

export type SinaAssessmentData = z.infer<typeof sinaAssessmentData>;
export type SinbaAssessmentData = z.infer<typeof sinbaAssessmentData>;
