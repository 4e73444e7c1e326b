import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFiscalCode } from '../../src/modules/citizens/fiscal-code.js';
import {
  checkCharacter,
  fiscalCodeOf,
  temporaryCode,
  validFiscalCode,
  validTemporaryCode,
} from './fiscal-codes.js';

describe('codice fiscale', () => {
  it('accepts real codes, in any case and with surrounding spaces', () => {
    expect(parseFiscalCode('RSSMRA80A01F205X')).toEqual({ code: 'RSSMRA80A01F205X', temporary: false });
    expect(parseFiscalCode(' rssmra80a01f205x ')).toEqual({ code: 'RSSMRA80A01F205X', temporary: false });
    expect(parseFiscalCode('MRTMTT91D08F205J')).toEqual({ code: 'MRTMTT91D08F205J', temporary: false });
  });

  it('accepts omocodic codes (letters in the numeric positions) with their own check character', () => {
    expect(parseFiscalCode('MRTMTTVMD08F205J')).toEqual({ code: 'MRTMTTVMD08F205J', temporary: false });
    expect(parseFiscalCode('MRTMTT91D08F2LRS')).toBeNull(); // wrong check character for this variant
  });

  it('refuses a wrong check character, an impossible birth day, a bad month letter, a bad length', () => {
    expect(parseFiscalCode('RSSMRA80A01F205Z')).toBeNull();
    const body31Feb = 'RSSMRA80B31F205';
    expect(parseFiscalCode(body31Feb + checkCharacter(body31Feb))).toBeNull();
    const day00 = 'RSSMRA80A00F205';
    expect(parseFiscalCode(day00 + checkCharacter(day00))).toBeNull();
    const day72 = 'RSSMRA80A72F205';
    expect(parseFiscalCode(day72 + checkCharacter(day72))).toBeNull();
    const monthF = 'RSSMRA80F01F205';
    expect(parseFiscalCode(monthF + checkCharacter(monthF))).toBeNull();
    expect(parseFiscalCode('RSSMRA80A01F205')).toBeNull();
  });

  it('accepts 11-digit temporary codes with the right check digit and flags them', () => {
    expect(parseFiscalCode('12345678903')).toEqual({ code: '12345678903', temporary: true });
    expect(parseFiscalCode('12345678901')).toBeNull();
  });

  it('property: every code built by the rule is accepted, as full or temporary', () => {
    fc.assert(
      fc.property(validFiscalCode, (code) => {
        expect(parseFiscalCode(code)).toEqual({ code, temporary: false });
      }),
    );
    fc.assert(
      fc.property(validTemporaryCode, (code) => {
        expect(parseFiscalCode(code)).toEqual({ code, temporary: true });
      }),
    );
  });

  it('property: changing the check character or any one digit of a temporary code is refused', () => {
    fc.assert(
      fc.property(validFiscalCode, fc.integer({ min: 1, max: 25 }), (code, shift) => {
        const wrong = String.fromCharCode(65 + ((code.charCodeAt(15) - 65 + shift) % 26));
        expect(parseFiscalCode(code.slice(0, 15) + wrong)).toBeNull();
      }),
    );
    fc.assert(
      fc.property(
        validTemporaryCode,
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 9 }),
        (code, at, shift) => {
          const changed = code.slice(0, at) + String((Number(code[at]) + shift) % 10) + code.slice(at + 1);
          expect(parseFiscalCode(changed)).toBeNull();
        },
      ),
    );
  });

  it('property: arbitrary strings are either refused or are well-formed codes; never an exception', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (input) => {
        const parsed = parseFiscalCode(input);
        if (parsed) expect(parsed.code).toMatch(/^([A-Z0-9]{16}|[0-9]{11})$/);
      }),
    );
  });

  it('the test oracle agrees with a known code', () => {
    expect(
      fiscalCodeOf({
        surname: 'RSS',
        name: 'MRA',
        year: 80,
        month: 0,
        day: 1,
        female: false,
        place: 'F205',
        omocodic: [],
      }),
    ).toBe('RSSMRA80A01F205X');
    expect(temporaryCode('1234567890')).toBe('12345678903');
  });
});
