import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { taxCodes } from '../../../test/siuss/arbitraries.js';
import { sinbaInput } from '../../../test/siuss/fixtures.js';
import { organisationPseudonymKey, sinbaBeneficiaryId } from './siuss.pseudonym.js';
import { buildSinbaXml } from './siuss.xml.js';
import { disposeFlowValidators, validateFlowXml } from './siuss.xsd.js';

afterAll(() => disposeFlowValidators());

const secret = 'a-32-byte-organisation-secret-!!';
const otherSecret = 'another-32-byte-organisation-key';
const distinctCodes = [...new Set(taxCodes.map((c) => c.toUpperCase()))];

describe('sinbaBeneficiaryId', () => {
  it('is 20 base32 characters, which fits IDBeneficiario (xs:string 1–20)', () => {
    const id = sinbaBeneficiaryId(secret, 'RSSMRA80A01H501U');
    expect(id).toMatch(/^[A-Z2-7]{20}$/);
    const xml = buildSinbaXml({ ...sinbaInput, beneficiaryId: id });
    expect(validateFlowXml('SINBA', xml).valid).toBe(true);
  });

  it('is stable: a known answer, cross-checked with Python (hmac + base64.b32encode(mac[:13])[:20])', () => {
    expect(sinbaBeneficiaryId(secret, 'RSSMRA80A01H501U')).toBe('QNVI5VGMM2Q4FFSHCJIA');
    expect(sinbaBeneficiaryId(Buffer.from(secret), 'RSSMRA80A01H501U')).toBe('QNVI5VGMM2Q4FFSHCJIA');
  });

  it('ignores case and blanks in the codice fiscale', () => {
    const id = sinbaBeneficiaryId(secret, 'RSSMRA80A01H501U');
    expect(sinbaBeneficiaryId(secret, ' rssmra80a01h501u ')).toBe(id);
    expect(sinbaBeneficiaryId(secret, 'RSSMRA 80A01 H501U')).toBe(id);
  });

  it('keeps omocodic codes apart from their base code (they are different people)', () => {
    expect(sinbaBeneficiaryId(secret, 'RSSMRA80A01H50MU')).not.toBe(
      sinbaBeneficiaryId(secret, 'RSSMRA80A01H501U'),
    );
  });

  it('gives distinct codici fiscali distinct ids', () => {
    const ids = distinctCodes.map((code) => sinbaBeneficiaryId(secret, code));
    expect(new Set(ids).size).toBe(distinctCodes.length);
  });

  it('depends on the secret', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...distinctCodes),
        fc.uint8Array({ minLength: 32, maxLength: 64 }),
        (code, key) => {
          const id = sinbaBeneficiaryId(key, code);
          expect(id).not.toBe(sinbaBeneficiaryId(secret, code));
          expect(sinbaBeneficiaryId(key, code)).toBe(id);
        },
      ),
    );
  });

  it('cannot be derived from the codice fiscale alone', () => {
    const code = 'RSSMRA80A01H501U';
    const id = sinbaBeneficiaryId(secret, code);
    const unkeyed = [
      createHash('sha256').update(code).digest(),
      createHmac('sha256', '').update(code).digest(),
      createHmac('sha256', code).update(code).digest(),
    ];
    for (const digest of unkeyed) {
      expect(id).not.toContain(digest.toString('hex').toUpperCase().slice(0, 8));
    }
    expect(sinbaBeneficiaryId(otherSecret, code)).not.toBe(id);
  });

  it('refuses a short secret and something that is not a codice fiscale', () => {
    expect(() => sinbaBeneficiaryId('short', 'RSSMRA80A01H501U')).toThrow(RangeError);
    expect(() => sinbaBeneficiaryId(secret, 'NOT-A-CODE')).toThrow(RangeError);
  });
});

describe('organisationPseudonymKey', () => {
  it('gives each organisation its own ids for the same child', () => {
    const deployment = 'deployment-secret-at-least-32-chars!';
    const a = organisationPseudonymKey(deployment, 'org-a');
    const b = organisationPseudonymKey(deployment, 'org-b');
    expect(a).toHaveLength(32);
    expect(sinbaBeneficiaryId(a, 'RSSMRA80A01H501U')).not.toBe(sinbaBeneficiaryId(b, 'RSSMRA80A01H501U'));
    expect(organisationPseudonymKey(deployment, 'org-a')).toEqual(a);
  });
});
