import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoCountryOfIstat, municipalityOfBelfiore } from './siuss.code-maps.js';
import { psFlowInput, sinbaApplies, sinbaFlowInput, type InterventionSnapshot } from './siuss.flow-inputs.js';
import { buildPsPsaSinaXml, buildSinbaXml } from './siuss.xml.js';
import { validateFlowXml } from './siuss.xsd.js';

/** The record → flow mapping: whatever the record holds, either an XSD-valid document or reasons without values. */

const base: InterventionSnapshot = {
  intervention: {
    id: '0b9f6a36-3f0e-4c55-9d5e-5a0f3c1d2e4f',
    status: 'active',
    plannedStart: '2026-02-01',
    plannedEnd: '2026-11-30',
    actualStart: null,
    actualEnd: null,
    monthlyHours: '12.50',
    amountTotal: null,
    amountMonthly: '150.00',
    shareOrganisation: null,
    shareUser: null,
    shareHealthService: null,
    iseeThreshold: null,
    dsuProtocol: null,
    dsuDate: null,
  },
  service: { name: 'Assistenza domiciliare', siussCode: 'A1.01', periodic: true, meansTestType: null },
  case: {
    status: 'in_charge',
    userArea: 'family_minors',
    siussArea: 1,
    referralDate: '2025-09-10',
    judicialMeasure: false,
  },
  citizen: {
    fiscalCode: 'RSSMRA80A01F205X',
    givenName: 'Mario',
    familyName: 'Rossi',
    sex: 'M',
    birthDate: '2015-04-01',
    birthPlace: 'F205',
    citizenship: '100',
    residence: { municipality: 'F205' },
  },
  organisation: {
    id: 'org',
    name: 'Comune di Milano',
    belfioreCode: 'F205',
    operatorTaxCode: 'VRDLGU62T10L219P',
  },
  sina: null,
  sinba: {
    familyComposition: ['1'],
    unaccompaniedForeignMinor: false,
    minorCondition: '1',
    livingPlace: '1',
    school: '5',
    workCondition: '1',
    disability: false,
    referralSource: '13',
    minorAssessment: '2',
    familyAssessment: '12',
    reportedToJudicialAuthority: false,
  },
};

describe('code tables', () => {
  it('know Italy and the tested places, and guess nothing else', () => {
    expect(isoCountryOfIstat('100')).toBe('380');
    expect(isoCountryOfIstat('235')).toBe('642');
    expect(isoCountryOfIstat('436')).toBeUndefined();
    expect(isoCountryOfIstat('toString')).toBeUndefined();
    expect(municipalityOfBelfiore('F205')).toEqual({ istatCode: '015146', regionCode: '03' });
    expect(municipalityOfBelfiore('A794')).toBeUndefined();
    expect(municipalityOfBelfiore('constructor')).toBeUndefined();
  });
});

describe('PS/PSA/SINA input', () => {
  it('periodic: start, end in the same year, monthly amount; the end is dropped when it falls in a later year', () => {
    const built = psFlowInput(base, 'F205.PS.20260301.0000001', 'insert');
    expect(built.ok && built.input.benefit).toMatchObject({
      character: 'periodic',
      startDate: '2026-02-01',
      endDate: '2026-11-30',
      monthlyAmount: '150.00',
      meansTest: '4',
    });
    const later = psFlowInput(
      { ...base, intervention: { ...base.intervention, plannedEnd: '2027-01-31' } },
      'F205.PS.20260301.0000001',
      'insert',
    );
    expect(later.ok && later.input.benefit.endDate).toBeUndefined();
  });

  it('names longer than the XSD allows are cut to 36 characters', () => {
    const long = 'À'.repeat(50);
    const built = psFlowInput(
      { ...base, citizen: { ...base.citizen, familyName: long } },
      'F205.PS.20260301.0000001',
      'insert',
    );
    expect(built.ok && [...built.input.beneficiary.lastName].length).toBe(36);
  });

  const amount = fc.oneof(
    fc.constant(null),
    fc.integer({ min: 0, max: 10_000_000 }).map((c) => (c / 100).toFixed(2)),
    fc.constantFrom('-5.00', '1e3'),
  );
  const day = fc
    .integer({ min: 0, max: 3000 })
    .map((d) => new Date(Date.UTC(2020, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
  const snapshot = fc.record({
    periodic: fc.boolean(),
    start: fc.option(day, { nil: null }),
    end: fc.option(day, { nil: null }),
    amountMonthly: amount,
    amountTotal: amount,
    shareOrganisation: amount,
    shareUser: amount,
    familyName: fc.string({ minLength: 1, maxLength: 60 }),
    name: fc.string({ minLength: 1, maxLength: 40 }),
    status: fc.constantFrom('requested', 'in_charge'),
  });

  it('property: either a document the XSD accepts, or reasons that quote no value of the record', () => {
    fc.assert(
      fc.property(snapshot, (g) => {
        const s: InterventionSnapshot = {
          ...base,
          intervention: {
            ...base.intervention,
            plannedStart: g.start,
            plannedEnd: g.end,
            amountMonthly: g.amountMonthly,
            amountTotal: g.amountTotal,
            shareOrganisation: g.shareOrganisation,
            shareUser: g.shareUser,
          },
          service: { ...base.service, periodic: g.periodic, name: g.name },
          case: { ...base.case, status: g.status },
          citizen: { ...base.citizen, familyName: g.familyName },
        };
        const built = psFlowInput(s, 'F205.PS.20260301.0000001', 'insert');
        if (built.ok) {
          expect(validateFlowXml('PS_PSA_SINA', buildPsPsaSinaXml(built.input)).errors).toEqual([]);
        } else {
          expect(built.problems.length).toBeGreaterThan(0);
          for (const problem of built.problems) {
            expect(problem).toMatch(/^[\w.]+: /);
            expect(problem).not.toContain(base.citizen.fiscalCode);
            // The reason after the field path must not quote the value (a name may spell a path, "name").
            const reason = problem.slice(problem.indexOf(': ') + 2);
            if (g.familyName.trim().length > 3) expect(reason).not.toContain(g.familyName.trim());
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('SINBA input', () => {
  it('applies to minors of family cases only', () => {
    expect(sinbaApplies(base, '2026-03-01')).toBe(true);
    expect(
      sinbaApplies({ ...base, citizen: { ...base.citizen, birthDate: '2000-01-01' } }, '2026-03-01'),
    ).toBe(false);
    expect(
      sinbaApplies({ ...base, case: { ...base.case, userArea: 'disability', siussArea: 2 } }, '2026-03-01'),
    ).toBe(false);
  });

  it('builds a pseudonymous document the XSD accepts; needs the pseudonym', () => {
    const built = sinbaFlowInput(base, 'F205.SINBA.20260301.0000002', 'ABCDEFGHIJKLMNOPQRST', '2026-03-01');
    expect(built.ok).toBe(true);
    if (built.ok) {
      const xml = buildSinbaXml(built.input);
      expect(validateFlowXml('SINBA', xml).errors).toEqual([]);
      expect(xml).not.toContain('Rossi');
      expect(built.input).toMatchObject({
        ageBand: '4',
        birthYear: '2015',
        firstReferralMonth: '2025-09',
        residenceRegionCode: '03',
      });
    }
    const without = sinbaFlowInput(base, 'F205.SINBA.20260301.0000002', null, '2026-03-01');
    expect(without).toEqual({
      ok: false,
      problems: ['deployment: SIUSS_PSEUDONYM_SECRET is not configured'],
    });
  });
});
