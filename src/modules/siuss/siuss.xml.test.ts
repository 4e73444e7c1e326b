import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { XmlDocument } from 'libxml2-wasm';
import { ZodError } from 'zod';
import { psInputArbitrary } from '../../../test/siuss/arbitraries.js';
import { psInput, sinbaInput } from '../../../test/siuss/fixtures.js';
import { sinbaInputArbitrary } from '../../../test/siuss/sinba-arbitrary.js';
import { casellarioNamespace } from './siuss.primitives.js';
import { buildPsPsaSinaXml, buildSinbaXml, decodeFlow, encodeFlow } from './siuss.xml.js';
import { disposeFlowValidators, validateFlowXml } from './siuss.xsd.js';

afterAll(() => disposeFlowValidators());

const expectValid = (kind: 'PS_PSA_SINA' | 'SINBA', xml: string) =>
  expect(validateFlowXml(kind, xml), xml).toEqual({ valid: true, errors: [] });

/** The values at `paths` (XPath, `c:` = Casellario), parsed back with libxml2; absent ones are undefined. */
function readBack<K extends string>(xml: string, paths: Record<K, string>): Record<K, string | undefined> {
  const document = XmlDocument.fromString(xml);
  try {
    const entries = Object.entries<string>(paths).map(([key, path]) => [
      key,
      document.get(path, { c: casellarioNamespace })?.content,
    ]);
    return Object.fromEntries(entries) as Record<K, string | undefined>;
  } finally {
    document.dispose();
  }
}

describe('buildPsPsaSinaXml', () => {
  it('builds a document the XSD accepts, in the Casellario namespace', () => {
    const xml = buildPsPsaSinaXml(psInput);
    expectValid('PS_PSA_SINA', xml);
    expect(xml).toContain('<Flusso xmlns="http://inps.it/Casellario">');
    expect(xml).toContain('CodiceFiscale="BNCHGV39M66A351C"'); // normalised to upper case
    expect(xml).toContain(`Cognome="D'Angelo"`);
  });

  it('escapes what XML needs escaped, ampersands of entity-like text included', () => {
    const xml = buildPsPsaSinaXml({
      ...psInput,
      beneficiary: { ...psInput.beneficiary, lastName: 'O"Brien & <Co>' },
    });
    expectValid('PS_PSA_SINA', xml);
    expect(xml).toMatch(/Cognome="O&quot;Brien &amp; &lt;Co(>|&gt;)"/);
    const entityLike = buildPsPsaSinaXml({
      ...psInput,
      beneficiary: { ...psInput.beneficiary, lastName: '&AAA; &amp; &#65;' },
    });
    expectValid('PS_PSA_SINA', entityLike);
    expect(entityLike).toContain('Cognome="&amp;AAA; &amp;amp; &amp;#65;"');
  });

  it('any valid input reads back from the document exactly as it was given', () => {
    fc.assert(
      fc.property(psInputArbitrary, (input) => {
        const read = readBack(buildPsPsaSinaXml(input), {
          organisation: '//c:Ente/@Denominazione',
          lastName: '//c:Anagrafica/@Cognome',
          firstName: '//c:Anagrafica/@Nome',
          benefit: '//c:PrestazioniSociali/@DenominazionePrestazione',
          protocol: '//c:PrestazioniSociali/@ProtocolloDomanda',
        });
        expect(read).toEqual({
          organisation: input.organisation.name,
          lastName: input.beneficiary.lastName,
          firstName: input.beneficiary.firstName,
          benefit: input.benefit.name,
          protocol: input.benefit.applicationProtocol,
        });
      }),
      { numRuns: 300 },
    );
  });

  it('writes amounts exactly as given: no float ever touches them', () => {
    const xml = buildPsPsaSinaXml({
      ...psInput,
      benefit: {
        ...psInput.benefit,
        monthlyAmount: '0.30',
        organisationShare: '0.1',
        userShare: '0.20',
        healthServiceShare: '0',
      },
    });
    expectValid('PS_PSA_SINA', xml);
    expect(xml).toMatch(/ImportoMensile="0\.30".*ImportoQuotaEnte="0\.1".*ImportoQuotaUtente="0\.20"/s);
  });

  it('builds a one-off benefit without SINA', () => {
    const { sina: _sina, startDate: _s, endDate: _e, monthlyAmount: _m, ...rest } = psInput.benefit;
    const benefit = { ...rest, character: 'one_off' as const, deliveryDate: '2026-03-01', amount: '101.23' };
    const xml = buildPsPsaSinaXml({ ...psInput, benefit });
    expectValid('PS_PSA_SINA', xml);
    expect(xml).not.toContain('<SINA');
    expect(xml).toContain('CaratterePrestazione="2"');
  });

  it.each([
    ['a periodic benefit without start date', { startDate: undefined }],
    ['a one-off benefit without amount', { character: 'one_off', deliveryDate: '2026-03-01' }],
    ['an end date in another year', { endDate: '2027-01-10' }],
    ['shares that do not add up', { userShare: '21.70' }],
    ['a float amount', { monthlyAmount: 101.23 }],
    ['a taken-in-charge benefit without SIUSS area', { siussArea: undefined }],
    ['a denomination under 10 characters', { name: 'Trasporto' }],
  ])('refuses %s', (_name, change) => {
    const benefit = { ...psInput.benefit, ...change } as typeof psInput.benefit;
    expect(() => buildPsPsaSinaXml({ ...psInput, benefit })).toThrow(ZodError);
  });

  it('refuses an Italian residence without ISTAT municipality code', () => {
    const beneficiary = { ...psInput.beneficiary, residence: { countryCode: '380', regionCode: '12' } };
    expect(() => buildPsPsaSinaXml({ ...psInput, beneficiary })).toThrow(ZodError);
  });

  it('refuses a SINBA flow id', () => {
    expect(() => buildPsPsaSinaXml({ ...psInput, flowId: 'H501.SINBA.20260213.0000001' })).toThrow(ZodError);
  });

  it('validates against the XSD for any valid input', () => {
    fc.assert(
      fc.property(psInputArbitrary, (input) => {
        expectValid('PS_PSA_SINA', buildPsPsaSinaXml(input));
      }),
      { numRuns: 300 },
    );
  });
});

describe('buildSinbaXml', () => {
  it('builds a document the XSD accepts, with MM/AAAA months', () => {
    const xml = buildSinbaXml(sinbaInput);
    expectValid('SINBA', xml);
    expect(xml).toContain('DataPrimaSegnalazione="09/2024"');
    expect(xml).toMatch(/<Prestazioni>\s*<CodicePrestazione>A1\.02<\/CodicePrestazione>\s*<\/Prestazioni>/);
  });

  it('refuses an Italian residence without region and an empty family', () => {
    expect(() => buildSinbaXml({ ...sinbaInput, residenceRegionCode: undefined })).toThrow(ZodError);
    expect(() => buildSinbaXml({ ...sinbaInput, familyComposition: [] })).toThrow(ZodError);
  });

  it('validates against the XSD for any valid input', () => {
    fc.assert(
      fc.property(sinbaInputArbitrary, (input) => {
        expectValid('SINBA', buildSinbaXml(input));
      }),
      { numRuns: 300 },
    );
  });
});

describe('encodeFlow', () => {
  it('round-trips UTF-8 through base64', () => {
    const xml = buildPsPsaSinaXml(psInput);
    expect(decodeFlow(encodeFlow(xml))).toBe(xml);
    expect(encodeFlow(xml)).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });
});
