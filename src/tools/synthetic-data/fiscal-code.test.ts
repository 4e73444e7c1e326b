import codiceFiscaleModule from 'codice-fiscale-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCharacter, dateCode, fiscalCode, nameCode, omocode, surnameCode, temporaryFiscalCode } from './fiscal-code.js';
import { familyNames, femaleNames, foreignCountries, foreignFamilyNames, maleNames, municipalities } from './italian-data.js';

// The package's CommonJS build exports `{ CodiceFiscale }` while its typings declare a default export.
const { CodiceFiscale } = codiceFiscaleModule as unknown as { CodiceFiscale: typeof codiceFiscaleModule.default };

const person = fc.record({
  familyName: fc.constantFrom(...familyNames, ...foreignFamilyNames),
  givenName: fc.constantFrom(...maleNames, ...femaleNames),
  sex: fc.constantFrom('M' as const, 'F' as const),
  birthDate: fc.date({ min: new Date('1920-01-01T00:00:00Z'), max: new Date('2026-10-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  birthPlace: fc.constantFrom(...municipalities.map((m) => m.belfiore), ...foreignCountries.map((c) => c.belfiore)),
});

describe('codice fiscale of the synthetic citizens', () => {
  it('computes the well-known example', () => {
    expect(fiscalCode({ familyName: 'Rossi', givenName: 'Mario', sex: 'M', birthDate: '1980-01-01', birthPlace: 'H501' })).toBe('RSSMRA80A01H501U');
  });

  it('handles short names, four consonants, apostrophes and women’s days', () => {
    expect(surnameCode("D'Angelo")).toBe('DNG');
    expect(surnameCode('Fo')).toBe('FOX');
    expect(nameCode('Federico')).toBe('FRC');
    expect(nameCode('Li')).toBe('LIX');
    expect(dateCode('2014-06-23', 'F')).toBe('14H63');
  });

  it('agrees with codice-fiscale-js, which also decodes birth date, sex and place from it', () => {
    fc.assert(
      fc.property(person, (p) => {
        const code = fiscalCode(p);
        const [year, month, day] = p.birthDate.split('-').map(Number) as [number, number, number];
        expect(code.slice(0, 3)).toBe(CodiceFiscale.surnameCode(p.familyName));
        expect(code.slice(3, 6)).toBe(CodiceFiscale.nameCode(p.givenName));
        expect(code.slice(6, 11)).toBe(CodiceFiscale.dateCode(day, month, year, p.sex));
        expect(CodiceFiscale.check(code)).toBe(true);
        const decoded = CodiceFiscale.computeInverse(code);
        expect([decoded.day, decoded.month, decoded.year % 100, decoded.gender]).toEqual([day, month, year % 100, p.sex]);
        expect(code.slice(11, 15)).toBe(p.birthPlace);
      }),
      { numRuns: 300 },
    );
  });

  it('omocodia variants are valid codes that still decode to the same person', () => {
    fc.assert(
      fc.property(person, fc.integer({ min: 1, max: 7 }), (p, level) => {
        const base = fiscalCode(p);
        const variant = omocode(base, level);
        expect(variant).not.toBe(base);
        expect(CodiceFiscale.check(variant)).toBe(true);
        const { day, month, year, gender } = CodiceFiscale.computeInverse(variant);
        expect({ day, month, year, gender }).toEqual((({ day, month, year, gender }) => ({ day, month, year, gender }))(CodiceFiscale.computeInverse(base)));
        expect(checkCharacter(variant.slice(0, 15))).toBe(variant[15]);
      }),
      { numRuns: 200 },
    );
  });

  it('provisional codes carry their check digit', () => {
    expect(temporaryFiscalCode('0123456789')).toBe('01234567897');
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{10}$/), (first) => {
        const code = temporaryFiscalCode(first);
        expect(code).toMatch(/^[0-9]{11}$/);
        // Changing any one digit breaks the check.
        const altered = `${first.slice(0, 3)}${(Number(first[3]) + 1) % 10}${first.slice(4)}`;
        expect(temporaryFiscalCode(altered)).not.toBe(code.slice(0, 3) + altered[3] + code.slice(4));
      }),
    );
  });
});
