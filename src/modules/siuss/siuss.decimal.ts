/**
 * Amounts and hours travel as decimal strings end to end (numeric(12,2) in the database, xs:decimal in the
 * XSD): JS floats would turn 0.1 + 0.2 into 0.30000000000000004 and break INPS's "sum of shares" rule.
 * Arithmetic is done on bigint cents.
 */

/** Non-negative, at most 10 integer digits (numeric(12,2)) and 2 decimals; no sign, no exponent. */
export const decimalPattern = /^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$/;

export function isDecimalString(value: string): boolean {
  return decimalPattern.test(value);
}

/** `"12.5"` → `1250n`. Throws on anything `decimalPattern` rejects, so a float never sneaks in. */
export function toCents(value: string): bigint {
  const match = decimalPattern.exec(value);
  if (!match) throw new RangeError('not a decimal string with at most 2 decimals');
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '.').slice(1).padEnd(2, '0');
  return BigInt(whole) * 100n + BigInt(fraction);
}

/** `1250n` → `"12.50"`. */
export function centsToDecimal(cents: bigint): string {
  if (cents < 0n) throw new RangeError('negative amount');
  const text = cents.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

export function sumDecimals(values: readonly string[]): string {
  return centsToDecimal(values.reduce((total, value) => total + toCents(value), 0n));
}
