import fc from 'fast-check';
import type { SinbaFlowInput } from '../../src/modules/siuss/siuss.flow-types.js';
import * as p from '../../src/modules/siuss/siuss.primitives.js';
import { flowId, siussCode, text } from './arbitraries.js';

/** fast-check generator of valid SINBA flow inputs. */

const code = <T extends string>(schema: { options: readonly T[] }) => fc.constantFrom(...schema.options);
const month = fc
  .tuple(fc.integer({ min: 1900, max: 2099 }), fc.integer({ min: 1, max: 12 }))
  .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);
const parent = fc.record(
  {
    citizenshipCode: fc.stringMatching(/^[0-9]{3}$/),
    residenceRegionCode: fc.stringMatching(/^[0-9]{2}$/),
    education: code(p.code6),
    occupation: code(p.code8),
  },
  { requiredKeys: [] },
);
const required = [
  'flowId',
  'organisation',
  'beneficiaryId',
  'siussCode',
  'familyComposition',
  'unaccompaniedForeignMinor',
  'minorCondition',
  'livingPlace',
  'school',
  'workCondition',
  'disability',
  'firstReferralMonth',
  'referralSource',
  'minorAssessment',
  'familyAssessment',
  'reportedToJudicialAuthority',
  'judicialMeasure',
  'ageBand',
  'birthYear',
  'residenceCountryCode',
] as const;

export const sinbaInputArbitrary: fc.Arbitrary<SinbaFlowInput> = fc
  .record(
    {
      flowId: flowId('SINBA'),
      organisation: fc.record({
        enteCode: fc.stringMatching(/^[A-Z][0-9]{3}$/),
        seatBelfioreCode: fc.stringMatching(/^[A-Z][0-9]{3}$/),
        operatorTaxCode: fc.constantFrom('RSSMRA80A01H501U', '12345678901'),
      }),
      beneficiaryId: text(1, 20),
      siussCode,
      familyComposition: fc.array(code(p.code6), { minLength: 1, maxLength: 6 }),
      unaccompaniedForeignMinor: fc.boolean(),
      minorCondition: code(p.code5),
      livingPlace: code(p.code8),
      school: code(p.code8),
      workCondition: code(p.code4),
      disability: fc.boolean(),
      disabilityType: code(p.code4),
      civilDisabilityCertification: code(p.code5),
      father: parent,
      mother: parent,
      firstReferralMonth: month,
      referralSource: code(p.code14),
      minorAssessment: code(p.code13),
      familyAssessment: code(p.code13),
      reportedToJudicialAuthority: fc.boolean(),
      judicialReportMonth: month,
      judicialMeasure: fc.boolean(),
      judicialMeasureMonth: month,
      judicialAuthority: code(p.code4),
      parentalAuthorityMeasure: code(p.code5),
      judicialMeasureType: code(p.code8),
      fosterCare: fc.record(
        {
          form: code(p.code2),
          type: code(p.code2),
          duration: code(p.code2),
          character: code(p.code2),
          outcome: code(p.code9),
        },
        { requiredKeys: [] },
      ),
      residentialPlacement: fc.record(
        { character: code(p.code10), form: code(p.code2), type: code(p.code2), outcome: code(p.code9) },
        { requiredKeys: [] },
      ),
      closure: fc.record({ reason: code(p.code9), situation: code(p.code8) }, { requiredKeys: [] }),
      collaboration: code(p.code9),
      iseeHouseholdSize: fc.integer({ min: 1, max: 9 }),
      ageBand: code(p.code6),
      iseeBand: code(p.code8),
      birthYear: fc.integer({ min: 2000, max: 2099 }).map(String),
      residenceRegionCode: fc.stringMatching(/^[0-9]{2}$/),
      residenceCountryCode: fc.stringMatching(/^[0-9]{3}$/),
    },
    { requiredKeys: [...required] },
  )
  // Italy needs its region (Allegato C: CodiceRegioneResidenza "obbligatorio se CodiceNazione = 380").
  .filter((s) => s.residenceCountryCode !== '380' || s.residenceRegionCode !== undefined);
