import { createHmac } from 'node:crypto';
import { normaliseTaxCode, xsdTaxCodePattern } from './siuss.primitives.js';

/**
 * SINBA must not carry who the child is, yet INPS has to recognise the same child across flows and years:
 * SINBA@IDBeneficiario = HMAC-SHA256(organisation secret, normalised codice fiscale). Without the secret
 * nobody (INPS included) can recompute it from a codice fiscale, and the space of codici fiscali is small
 * enough that a plain hash would be reversible by enumeration.
 *
 * IDBeneficiario is xs:string, 1–20 characters. We write the first 100 bits of the MAC in RFC 4648 base32
 * (A–Z, 2–7): exactly 20 characters, no lower case or punctuation for a receiving system to fold or trip
 * on; 100 bits keep collisions negligible (birthday bound ~2^50 children).
 */

export const pseudonymLength = 20;
const minimumSecretBytes = 32;
const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Uint8Array): string {
  let output = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += base32Alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1; // keep only the bits not yet written
  }
  if (bits > 0) output += base32Alphabet[(buffer << (5 - bits)) & 31];
  return output;
}

function secretBytes(secret: string | Uint8Array): Uint8Array {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (bytes.length < minimumSecretBytes)
    throw new RangeError(`the pseudonym secret must have at least ${minimumSecretBytes} bytes`);
  return bytes;
}

/** The stable SINBA beneficiary id of a codice fiscale, for the organisation owning `secret`. */
export function sinbaBeneficiaryId(secret: string | Uint8Array, taxCode: string): string {
  const normalised = normaliseTaxCode(taxCode);
  if (!xsdTaxCodePattern.test(normalised)) throw new RangeError('not a codice fiscale');
  const mac = createHmac('sha256', secretBytes(secret)).update(normalised, 'utf8').digest();
  // 13 bytes = 104 bits → 21 base32 characters; the first 20 carry 100 bits.
  return base32(mac.subarray(0, 13)).slice(0, pseudonymLength);
}

/**
 * One 32-byte key per organisation, derived from the deployment's SIUSS_PSEUDONYM_SECRET: two organisations
 * never give the same child the same id, so INPS cannot link a child across municipalities through SINBA.
 * The key must stay the same for the life of the organisation, or every child gets a new id.
 */
export function organisationPseudonymKey(
  deploymentSecret: string | Uint8Array,
  organisationId: string,
): Buffer {
  return createHmac('sha256', secretBytes(deploymentSecret))
    .update(`cartella/siuss/sinba-pseudonym/v1/${organisationId}`, 'utf8')
    .digest();
}
