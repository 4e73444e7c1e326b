import type { z } from 'zod';
import type { Address } from '../../db/schema/citizens.js';
import type { UserArea } from '../../shared/domain.js';
import { sinaAssessmentData, sinbaAssessmentData } from './siuss.assessment-data.js';
import { isForeignBelfiore, isoCountryOfIstat, municipalityOfBelfiore } from './siuss.code-maps.js';
import {
  psPsaSinaFlowInputSchema,
  type PsBenefit,
  type PsPsaSinaFlowInput,
  type Residence,
} from './siuss.flow-types.js';
import type { SiussOrganisation } from './siuss.primitives.js';
import { sinbaAgeBand, sinbaIseeBand } from './siuss.sinba-bands.js';
import { sinbaFlowInputSchema, type SinbaFlowInput } from './siuss.sinba-types.js';

/**
 * From the record to the flow inputs: pure functions over one intervention's snapshot. Each answers with a
 * parsed input or with the problems that stop the flow — field paths and rules only, never the values, so
 * they can be stored and shown to an administrator who may not see the case.
 */

/** Everything a flow of one intervention needs, read in one go (siuss.repository.ts). */
export interface InterventionSnapshot {
  intervention: {
    id: string;
    status: string;
    plannedStart: string | null;
    plannedEnd: string | null;
    actualStart: string | null;
    actualEnd: string | null;
    monthlyHours: string | null;
    amountTotal: string | null;
    amountMonthly: string | null;
    shareOrganisation: string | null;
    shareUser: string | null;
    shareHealthService: string | null;
    iseeThreshold: string | null;
    dsuProtocol: string | null;
    dsuDate: string | null;
  };
  service: { name: string; siussCode: string; periodic: boolean; meansTestType: number | null };
  case: {
    status: string;
    userArea: UserArea;
    siussArea: number;
    referralDate: string;
    judicialMeasure: boolean;
  };
  citizen: {
    fiscalCode: string;
    givenName: string;
    familyName: string;
    sex: 'M' | 'F';
    birthDate: string;
    birthPlace: string;
    citizenship: string;
    residence: Address | null;
  };
  organisation: { id: string; name: string; belfioreCode: string; operatorTaxCode: string | null };
  /** `sina` / `sinba` of the case's latest assessment that has them (null when none does). */
  sina: unknown;
  sinba: unknown;
}

export type Built<T> = { ok: true; input: T } | { ok: false; problems: string[] };

const issuesOf = (error: z.ZodError, prefix = ''): string[] =>
  error.issues.map((issue) => `${prefix}${issue.path.map(String).join('.') || '(input)'}: ${issue.message}`);

/** At most `max` code points (the XSD counts characters, a JS string UTF-16 units). */
const clip = (value: string, max: number) => [...value.trim()].slice(0, max).join('');

function organisationOf(s: InterventionSnapshot, problems: string[]): SiussOrganisation {
  if (!s.organisation.operatorTaxCode)
    problems.push('organisation.operatorTaxCode: not configured (PUT …/siuss-settings)');
  return {
    enteCode: s.organisation.belfioreCode,
    // Ente@Denominazione is optional and at most 100 characters: a longer name is left out, not cut.
    name: [...s.organisation.name].length <= 100 ? s.organisation.name : undefined,
    seatBelfioreCode: s.organisation.belfioreCode,
    operatorTaxCode: s.organisation.operatorTaxCode ?? '',
  };
}

function residenceOf(address: Address | null, problems: string[]): Residence | undefined {
  if (!address) {
    problems.push('citizen.residence: missing');
    return undefined;
  }
  if (isForeignBelfiore(address.municipality)) {
    problems.push('citizen.residence: foreign country has no ISO 3166 mapping');
    return undefined;
  }
  const codes = municipalityOfBelfiore(address.municipality);
  if (!codes) {
    problems.push('citizen.residence: municipality has no ISTAT code mapping');
    return undefined;
  }
  return { countryCode: '380', regionCode: codes.regionCode, municipalityIstatCode: codes.istatCode };
}

function citizenshipOf(istatCode: string, problems: string[]): string {
  const iso = isoCountryOfIstat(istatCode);
  if (!iso) problems.push('citizen.citizenship: ISTAT code has no ISO 3166 mapping');
  return iso ?? '';
}

function benefitOf(
  s: InterventionSnapshot,
  operation: PsBenefit['operation'],
  problems: string[],
): PsBenefit {
  const i = s.intervention;
  const start = i.actualStart ?? i.plannedStart ?? undefined;
  const end = i.actualEnd ?? i.plannedEnd ?? undefined;
  const orUndefined = (value: string | null) => value ?? undefined;
  let sina: PsBenefit['sina'];
  if (s.sina !== null && s.sina !== undefined) {
    const parsed = sinaAssessmentData.safeParse(s.sina);
    if (parsed.success) sina = parsed.data;
    else problems.push(...issuesOf(parsed.error, 'assessment.sina.'));
  }
  const periodic = s.service.periodic;
  return {
    operation,
    siussCode: s.service.siussCode,
    name: s.service.name.trim(),
    // ProtocolloDomanda (1–32): the intervention id without dashes is exactly 32 characters and stays the
    // same across changes, so INPS can match a correction or a cancellation to the benefit it has.
    applicationProtocol: i.id.replaceAll('-', ''),
    meansTest: String(s.service.meansTestType ?? 4) as PsBenefit['meansTest'],
    character: periodic ? 'periodic' : 'one_off',
    dsu:
      i.dsuProtocol && i.dsuDate
        ? { protocolNumber: i.dsuProtocol, protocolYear: i.dsuDate.slice(0, 4), date: i.dsuDate }
        : undefined,
    startDate: periodic ? start : undefined,
    // The XSD wants the end in the start's year; a benefit running into a later year is sent as ongoing.
    endDate: periodic && start && end && end.slice(0, 4) === start.slice(0, 4) ? end : undefined,
    deliveryDate: periodic ? undefined : start,
    amount: periodic ? undefined : orUndefined(i.amountTotal),
    monthlyAmount: periodic ? orUndefined(i.amountMonthly) : undefined,
    organisationShare: orUndefined(i.shareOrganisation),
    userShare: orUndefined(i.shareUser),
    healthServiceShare: orUndefined(i.shareHealthService),
    iseeThreshold: orUndefined(i.iseeThreshold),
    monthlyHours: orUndefined(i.monthlyHours),
    takenInCharge: s.case.status === 'in_charge',
    siussArea: s.case.siussArea as PsBenefit['siussArea'],
    sina,
  };
}

/** The PS/PSA/SINA input: the beneficiary with codice fiscale and registry data, the one benefit. */
export function psFlowInput(
  s: InterventionSnapshot,
  flowId: string,
  operation: PsBenefit['operation'],
): Built<PsPsaSinaFlowInput> {
  const problems: string[] = [];
  const c = s.citizen;
  const candidate = {
    flowId,
    organisation: organisationOf(s, problems),
    beneficiary: {
      taxCode: c.fiscalCode,
      // Anagrafica@Cognome/Nome hold at most 36 characters: longer names are cut, as on INPS's own forms.
      lastName: clip(c.familyName, 36),
      firstName: clip(c.givenName, 36),
      sex: c.sex,
      birthYear: c.birthDate.slice(0, 4),
      birthPlaceBelfiore: c.birthPlace,
      citizenshipCode: citizenshipOf(c.citizenship, problems),
      residence: residenceOf(c.residence, problems) as Residence,
    },
    benefit: benefitOf(s, operation, problems),
  };
  if (problems.length > 0) return { ok: false, problems };
  const parsed = psPsaSinaFlowInputSchema.safeParse(candidate);
  return parsed.success ? { ok: true, input: parsed.data } : { ok: false, problems: issuesOf(parsed.error) };
}

/** SINBA covers children of family-and-minors cases: the SIUSS area 1 or the ISTAT user area says so. */
export function sinbaApplies(s: InterventionSnapshot, onDate: string): boolean {
  const familyCase = s.case.siussArea === 1 || s.case.userArea === 'family_minors';
  return familyCase && sinbaAgeBand(s.citizen.birthDate, onDate) !== null;
}

/**
 * The SINBA input: pseudonymous (the beneficiary id is the organisation's HMAC of the codice fiscale),
 * months instead of dates, age and ISEE bands instead of values. `onDate` is the flow's date (the age band
 * describes the child when the flow is written).
 */
export function sinbaFlowInput(
  s: InterventionSnapshot,
  flowId: string,
  beneficiaryId: string | null,
  onDate: string,
): Built<SinbaFlowInput> {
  const problems: string[] = [];
  const organisation = organisationOf(s, problems);
  if (!beneficiaryId) problems.push('deployment: SIUSS_PSEUDONYM_SECRET is not configured');
  const residence = residenceOf(s.citizen.residence, problems);
  if (s.sinba === null || s.sinba === undefined) {
    problems.push('assessment.sinba: no assessment of the case has SINBA data');
    return { ok: false, problems };
  }
  const assessment = sinbaAssessmentData.safeParse(s.sinba);
  if (!assessment.success) problems.push(...issuesOf(assessment.error, 'assessment.sinba.'));
  if (problems.length > 0 || !assessment.success) return { ok: false, problems };
  const { isee, ...situation } = assessment.data;
  const parsed = sinbaFlowInputSchema.safeParse({
    ...situation,
    flowId,
    organisation,
    beneficiaryId,
    siussCode: s.service.siussCode,
    firstReferralMonth: s.case.referralDate.slice(0, 7),
    judicialMeasure: s.case.judicialMeasure,
    ageBand: sinbaAgeBand(s.citizen.birthDate, onDate),
    iseeBand: isee === undefined ? undefined : sinbaIseeBand(isee),
    birthYear: s.citizen.birthDate.slice(0, 4),
    residenceRegionCode: residence?.regionCode,
    residenceCountryCode: residence?.countryCode,
  });
  return parsed.success ? { ok: true, input: parsed.data } : { ok: false, problems: issuesOf(parsed.error) };
}
