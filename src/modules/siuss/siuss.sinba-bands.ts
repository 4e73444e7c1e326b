import { toCents } from './siuss.decimal.js';
import type { SinbaAgeBand, SinbaIseeBand } from './siuss.sinba-types.js';

/**
 * SINBA carries bands instead of exact values (FasciaEtaBeneficiarioType, FasciaISEEBeneficiarioType).
 * Dates are YYYY-MM-DD strings, compared as calendar dates so no time zone can shift a birthday.
 */

/** Age in completed years on `onDate`; `null` if `onDate` is before the birth. */
export function completedYears(birthDate: string, onDate: string): number | null {
  if (onDate < birthDate) return null;
  const years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  // A birthday on 29 February is reached on 1 March in common years (month-day comparison does that).
  return onDate.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

/**
 * FasciaEtaBeneficiario: 1 = 0–3, 2 = 3–6, … 6 = 15–18 years. The XSD's bands share their edges; we read
 * them as [0,3), [3,6), …, [15,18). `null` when the person is not a minor on `onDate` (SINBA covers minors).
 */
export function sinbaAgeBand(birthDate: string, onDate: string): SinbaAgeBand | null {
  const age = completedYears(birthDate, onDate);
  if (age === null || age >= 18) return null;
  return String(Math.floor(age / 3) + 1) as SinbaAgeBand;
}

/** Upper bounds (in cents, inclusive) of FasciaISEEBeneficiario 1–7; above the last is band 8 (> 20 000 €). */
const iseeBandCeilings: readonly bigint[] = [
  0n,
  300_000n,
  600_000n,
  900_000n,
  1_200_000n,
  1_500_000n,
  2_000_000n,
];

/** FasciaISEEBeneficiario for an ISEE value given as a decimal string, e.g. `"3000.01"` → `"3"`. */
export function sinbaIseeBand(isee: string): SinbaIseeBand {
  const cents = toCents(isee);
  const index = iseeBandCeilings.findIndex((ceiling) => cents <= ceiling);
  return String(index === -1 ? 8 : index + 1) as SinbaIseeBand;
}
