import { sexes, siussAreas, userAreas } from '../../shared/domain.js';

/**
 * The fixed grids of the anonymised indicators (SPEC §8). Every value a table can show is fixed in advance
 * (age band edges, period keys, code lists), never derived from the data or the request: two requests can
 * then only overlap in whole cells, and a difference of two tables is itself a table of the same grid,
 * which the suppression rules cover (see suppression.ts).
 */

export * from './indicators.periods.js';

/** Dimensions a caller may group by (`by=`), in the order tables list them. */
export const indicatorDimensions = [
  'userArea',
  'siussArea',
  'siussCode',
  'ageBand',
  'sex',
  'municipality',
] as const;
export type IndicatorDimension = (typeof indicatorDimensions)[number];

/**
 * Age bands, completed years. The minors' bands follow the school stages used by SINBA-style reporting on
 * children and families (nursery 0–2, pre-school 3–5, primary 6–10, lower secondary 11–13, upper secondary
 * 14–17); 18–24 keeps young adults and care leavers visible; then ten-year bands, with 65–74 / 75–84 / 85+
 * separating the elderly groups that non-self-sufficiency services distinguish. Edges never change: a
 * different band would let two tables be differenced over the sliver between their edges.
 */
export const ageBands = [
  { key: '0-2', min: 0, max: 2 },
  { key: '3-5', min: 3, max: 5 },
  { key: '6-10', min: 6, max: 10 },
  { key: '11-13', min: 11, max: 13 },
  { key: '14-17', min: 14, max: 17 },
  { key: '18-24', min: 18, max: 24 },
  { key: '25-34', min: 25, max: 34 },
  { key: '35-44', min: 35, max: 44 },
  { key: '45-54', min: 45, max: 54 },
  { key: '55-64', min: 55, max: 64 },
  { key: '65-74', min: 65, max: 74 },
  { key: '75-84', min: 75, max: 84 },
  { key: '85+', min: 85, max: Number.POSITIVE_INFINITY },
] as const;
export const ageBandKeys: readonly string[] = ageBands.map((band) => band.key);

/** The band of an age in completed years. */
export function ageBandForAge(age: number): string {
  if (!Number.isInteger(age) || age < 0) throw new RangeError(`age must be a non-negative integer: ${age}`);
  const band = ageBands.find((b) => age >= b.min && age <= b.max);
  // Unreachable: the bands cover 0..∞ without gaps.
  if (!band) throw new RangeError(`no age band for ${age}`);
  return band.key;
}

/**
 * The band on `referenceDate` (both `YYYY-MM-DD`). The reference date is the date that puts the record in
 * its period (e.g. the opening date of a case, the start of an intervention), so a record has one band
 * in every table, whatever the granularity asked for.
 */
export function ageBandOf(birthDate: string, referenceDate: string): string {
  if (referenceDate < birthDate) throw new RangeError('reference date before birth date');
  const years = Number(referenceDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  // Birthday not yet reached in the reference year (29 February counts as reached on 1 March).
  return ageBandForAge(referenceDate.slice(5) >= birthDate.slice(5) ? years : years - 1);
}

/** Value for a record whose residence (or other optional attribute) is not recorded: counted, not dropped. */
export const UNKNOWN_VALUE = 'unknown';

/**
 * Domains fixed by the grid. Tables over these dimensions always show every value (zeros included), so
 * the shape of a table does not depend on the data. SIUSS codes and municipalities are open lists,
 * validated by pattern; their rows are the values present in the data.
 */
export const fixedDomains: Partial<Record<IndicatorDimension, readonly string[]>> = {
  userArea: userAreas,
  siussArea: siussAreas.map(String),
  ageBand: ageBandKeys,
  sex: sexes,
};

const valuePatterns: Record<IndicatorDimension, RegExp | null> = {
  userArea: null,
  siussArea: null,
  ageBand: null,
  sex: null,
  /** SIUSS benefit code, `A1.01` with an optional `.nn` (same check as the catalogue table). */
  siussCode: /^[A-Z][0-9]\.[0-9]{2}(\.[0-9]{2})?$/,
  /** Belfiore (cadastral) code of the municipality of residence, as stored in the citizen's address. */
  municipality: /^[A-Z][0-9]{3}$/,
};

/** Whether a value belongs to a dimension's grid. */
export function isDimensionValue(dimension: IndicatorDimension, value: string): boolean {
  const domain = fixedDomains[dimension];
  if (domain) return domain.includes(value);
  return value === UNKNOWN_VALUE || (valuePatterns[dimension]?.test(value) ?? false);
}

export function isIndicatorDimension(name: string): name is IndicatorDimension {
  return (indicatorDimensions as readonly string[]).includes(name);
}

/**
 * Parses `by=` (comma-separated dimension names) into the canonical order, rejecting unknown names and
 * repetitions; `null` if invalid. Canonical order makes `by=sex,ageBand` and `by=ageBand,sex` the same table.
 */
export function parseDimensionList(by: string): IndicatorDimension[] | null {
  const names = by === '' ? [] : by.split(',').map((name) => name.trim());
  if (new Set(names).size !== names.length || !names.every(isIndicatorDimension)) return null;
  return indicatorDimensions.filter((dimension) => names.includes(dimension));
}
