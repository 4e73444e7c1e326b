import fc from 'fast-check';
import { centsToDecimal } from '../../src/modules/siuss/siuss.decimal.js';
import { formatFlowId } from '../../src/modules/siuss/siuss.flow-id.js';
import type {
  PsBenefit,
  PsPsaSinaFlowInput,
  SinaAssessment,
} from '../../src/modules/siuss/siuss.flow-types.js';
import * as p from '../../src/modules/siuss/siuss.primitives.js';

/** fast-check generators of valid flow inputs. Codici fiscali come from a fixed set (valid ones are hard to generate). */

export const taxCodes = [
  'RSSMRA80A01H501U', // the textbook example
  'rssmra80a01h501u', // lower case: normalised on output
  'VRDLGU62T10L219P',
  'BNCGNN75C41F205X',
  'RSSMRA80A01H50MU', // omocodia, level 1
  'RSSMRA80A01H5LMU', // omocodia, level 2
  'RSSMRA80A01HRLMU', // omocodia, level 3 (the deepest the XSD accepts)
  '12345678901', // codice fiscale provvisorio
];

const belfiore = fc.stringMatching(/^[A-Z][0-9]{3}$/);
const countryCode = fc.stringMatching(/^[0-9]{3}$/);
const regionCode = fc.stringMatching(/^[0-9]{2}$/);
export const siussCode = fc.stringMatching(/^[A-Z][0-9]\.[0-9]{2}(\.[0-9]{2})?$/);
const year = fc.integer({ min: 1900, max: 2099 }).map(String);

/** Free text of `min`–`max` code points, with XML's special characters well represented. */
export function text(min: number, max: number): fc.Arbitrary<string> {
  const schema = p.xmlText(min, max);
  // Entity-like runs too: a builder that takes "&amp;" or "&AAA;" for a reference the caller wrote breaks them.
  const special = fc.constantFrom(
    ...['&', '<', '>', '"', "'", 'à', 'ß', '😀', ' ', ']]>'],
    ...['&amp;', '&AAA;', '&#65;', '&#x41;', '&lt;', ';'],
  );
  const unit = fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), special);
  return fc
    .array(unit, { minLength: min, maxLength: max })
    .map((parts) => parts.join(''))
    .filter((s) => schema.safeParse(s).success);
}

/** A decimal string for `cents`, written in any of its valid forms ("12.50", "12.5"; "12" when whole). */
function decimalOf(cents: bigint): fc.Arbitrary<string> {
  const full = centsToDecimal(cents);
  const forms = [full, full.replace(/0$/, ''), full.replace(/\.00$/, '')].filter(
    (f) => p.decimalSchema.safeParse(f).success,
  );
  return fc.constantFrom(...new Set(forms));
}
const cents = (min: bigint, max: bigint) => fc.bigInt({ min, max });
export const decimal = (min = 0n, max = 999_999_999_999n) => cents(min, max).chain(decimalOf);

/** A calendar date between 2000 and 2099, and an end date later in the same year. */
const dayMs = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const isoDate = fc
  .integer({ min: Date.UTC(2000, 0, 1) / dayMs, max: Date.UTC(2099, 11, 31) / dayMs })
  .map((d) => isoDay(d * dayMs));
const dateRange = isoDate.chain((start) =>
  fc.integer({ min: 0, max: 365 }).map((days) => {
    const end = isoDay(
      Math.min(Date.parse(start) + days * dayMs, Date.UTC(Number(start.slice(0, 4)), 11, 31)),
    );
    return { start, end };
  }),
);

export const flowId = (kind: p.FlowKind, enteCode = belfiore) =>
  fc
    .record({ enteCode, date: isoDate, progressive: fc.integer({ min: 1, max: 9_999_999 }) })
    .map((parts) => formatFlowId({ ...parts, kind }));

const organisation = fc.record(
  {
    enteCode: belfiore,
    name: text(1, 100),
    seatBelfioreCode: belfiore,
    operatorTaxCode: fc.constantFrom(...taxCodes),
  },
  { requiredKeys: ['enteCode', 'seatBelfioreCode', 'operatorTaxCode'] },
);

const residence = fc.oneof(
  fc.record({
    countryCode: fc.constant('380'),
    regionCode,
    municipalityIstatCode: fc.stringMatching(/^[0-9]{6}$/),
  }),
  fc.record({ countryCode: countryCode.filter((c) => c !== '380') }),
);

const sina: fc.Arbitrary<SinaAssessment> = fc.record(
  {
    neededBenefitCodes: fc.array(siussCode, { minLength: 1, maxLength: 4 }),
    civilDisabilityCertifications: fc.array(fc.constantFrom(...p.code8.options), {
      minLength: 1,
      maxLength: 3,
    }),
    mobility: fc.constantFrom(...p.code3.options),
    dailyLivingActivities: fc.constantFrom(...p.code3.options),
    cognitiveDisorders: fc.constantFrom(...p.code3.options),
    behaviouralDisorders: fc.constantFrom(...p.code2.options),
    healthCareNeeds: fc.constantFrom(...p.code3.options),
    incomeSituation: fc.constantFrom(...p.code3.options),
    supportNetwork: fc.constantFrom(...p.code3.options),
    assessmentSource: fc.constantFrom(...p.code4.options),
    assessmentInstrument: fc.constantFrom(...p.code7.options),
    disabilityEvidenceSource: fc.constantFrom(...p.code2.options),
  },
  {
    requiredKeys: [
      'mobility',
      'dailyLivingActivities',
      'behaviouralDisorders',
      'incomeSituation',
      'supportNetwork',
      'assessmentSource',
      'assessmentInstrument',
    ],
  },
);

/** Shares (ente, user, SSN) in cents, and the total they add up to (> 0). */
const sharedAmount = fc
  .tuple(cents(1n, 99_999_999n), cents(0n, 99_999_999n), cents(0n, 99_999_999n))
  .chain(([ente, user, ssn]) =>
    fc.record({
      total: decimalOf(ente + user + ssn),
      ente: decimalOf(ente),
      user: decimalOf(user),
      ssn: decimalOf(ssn),
    }),
  );

const benefit: fc.Arbitrary<PsBenefit> = fc
  .record({
    common: fc.record(
      {
        operation: fc.constantFrom('insert' as const, 'delete' as const),
        siussCode,
        name: text(10, 200),
        applicationProtocol: text(1, 32),
        meansTest: fc.constantFrom(...p.code4.options),
        dsu: fc.record({ protocolNumber: text(0, 30), protocolYear: year, date: isoDate }),
        eventDate: isoDate,
        months: fc.integer({ min: 1, max: 12 }),
        requestedShare: decimal(),
        iseeThreshold: decimal(),
        monthlyHours: decimal(0n, 74_400n),
        sina,
      },
      { requiredKeys: ['operation', 'siussCode', 'name', 'applicationProtocol', 'meansTest'] },
    ),
    periodic: fc.boolean(),
    dates: dateRange,
    deliveryDate: isoDate,
    amounts: sharedAmount,
    withShares: fc.boolean(),
    area: fc.constantFrom(1 as const, 2 as const, 3 as const),
    takenInCharge: fc.boolean(),
  })
  .map(({ common, periodic, dates, deliveryDate, amounts, withShares, area, takenInCharge }) => ({
    ...common,
    character: periodic ? ('periodic' as const) : ('one_off' as const),
    ...(periodic
      ? { startDate: dates.start, endDate: dates.end, monthlyAmount: amounts.total }
      : { deliveryDate, amount: amounts.total }),
    ...(withShares
      ? { organisationShare: amounts.ente, userShare: amounts.user, healthServiceShare: amounts.ssn }
      : {}),
    takenInCharge,
    ...(takenInCharge ? { siussArea: area } : {}),
  }));

export const psInputArbitrary: fc.Arbitrary<PsPsaSinaFlowInput> = fc.record({
  flowId: flowId('PS_PSA_SINA'),
  organisation,
  beneficiary: fc.record(
    {
      taxCode: fc.constantFrom(...taxCodes),
      lastName: text(1, 36),
      firstName: text(1, 36),
      sex: fc.constantFrom('M' as const, 'F' as const),
      birthYear: year,
      birthPlaceBelfiore: belfiore,
      citizenshipCode: countryCode,
      secondCitizenshipCode: countryCode,
      residence,
    },
    {
      requiredKeys: [
        'taxCode',
        'lastName',
        'firstName',
        'sex',
        'birthYear',
        'birthPlaceBelfiore',
        'citizenshipCode',
        'residence',
      ],
    },
  ),
  benefit,
});
