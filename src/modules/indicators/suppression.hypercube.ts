import { coordinatesOf, isTotalCoordinate, type Lattice } from './suppression.lattice.js';

/**
 * Complementary suppression by hypercubes of the extended table (the idea of the hypercube method of
 * Repsilber / τ-ARGUS GHMITER, applied to cells and margins alike).
 *
 * A cube picks, in every dimension j, two coordinates {u_j, v_j} (a value and another value, or a value
 * and the total). Its 2^d corners are entries. Moving one record "around" the cube — +1 on the cells at
 * even corners and −1 at odd ones, alternating only along dimensions whose pair is two values — changes
 * exactly the corners (by ±1) and no other entry: along a value/value pair the changes cancel in every
 * margin over that dimension; along a value/total pair the total just follows the value.
 *
 * So if every corner is suppressed, the moved table publishes the same numbers as the true one while every
 * corner differs: a certificate that no corner is exactly determined. The move is only admissible if it
 * keeps every corner ≥ 1, because zeros are always published and an attacker therefore knows that every
 * suppressed entry is at least 1: corners that decrease must be ≥ 2.
 */

export interface Cube {
  /** Entry indices of the 2^d corners. */
  corners: number[];
  /** Change of each corner per unit step of the move (+1 or −1). */
  signs: number[];
  /** Every integer step t in [minStep, maxStep] gives a table that publishes the same numbers. */
  minStep: number;
  maxStep: number;
}

/**
 * Corners examined per search (combinations × 2^d). Beyond it only the cheapest partners per dimension are
 * tried: 16 384 combinations in 2-D (all of a 128 × 128 table), 8 192 in 3-D, 1 024 in 6-D.
 */
export const CUBE_SEARCH_BUDGET = 1 << 16;

export interface CubeSearchState {
  lattice: Lattice;
  /** Non-zero where the entry is already suppressed. */
  suppressed: Uint8Array;
  /**
   * Non-zero where an earlier release published the entry (suppression.ts, `locked`): the attacker knows it,
   * so like a published zero it can be no corner.
   */
  known?: Uint8Array;
}

/** Cheapest admissible cube with `entry` as a corner; `null` if none among the candidates examined. */
export function findCheapestCube(state: CubeSearchState, entry: number): Cube | null {
  const { lattice, suppressed, known } = state;
  const { counts, strides, sizes } = lattice;
  const origin = coordinatesOf(lattice, entry);
  const partners = origin.map((c, j) => rankPartners(state, entry, j, c));
  if (partners.some((list) => list.length === 0)) return null;
  const d = sizes.length;
  trimToBudget(partners, Math.max(1, CUBE_SEARCH_BUDGET >> d));
  const cornerCount = 1 << d;
  const corners = new Array<number>(cornerCount);
  const signs = new Array<number>(cornerCount);
  const choice = new Array<number>(d).fill(0);
  let best: Cube | null = null;
  let bestCost = Number.POSITIVE_INFINITY;
  for (;;) {
    corners[0] = entry;
    signs[0] = 1;
    for (let j = 0; j < d; j++) {
      const partner = partners[j]![choice[j]!]!;
      const offset = (partner - origin[j]!) * strides[j]!;
      const alternates =
        !isTotalCoordinate(lattice, j, origin[j]!) && !isTotalCoordinate(lattice, j, partner);
      const half = 1 << j;
      for (let m = 0; m < half; m++) {
        corners[m | half] = corners[m]! + offset;
        signs[m | half] = alternates ? -signs[m]! : signs[m]!;
      }
    }
    let cost = 0;
    let minRising = Number.POSITIVE_INFINITY;
    let minFalling = Number.POSITIVE_INFINITY;
    for (let m = 0; m < cornerCount && cost < bestCost; m++) {
      const count = counts[corners[m]!]!;
      if (count === 0 || known?.[corners[m]!]) {
        cost = Number.POSITIVE_INFINITY; // a published zero, or a number published elsewhere, cannot move
      } else if (!suppressed[corners[m]!]) {
        cost += count + 1;
      }
      if (signs[m] === 1) minRising = Math.min(minRising, count);
      else minFalling = Math.min(minFalling, count);
    }
    // Step t moves corner values by t·sign; every corner must stay ≥ 1.
    const maxStep = minFalling - 1;
    const minStep = 1 - minRising;
    if (cost < bestCost && (maxStep >= 1 || minStep <= -1)) {
      bestCost = cost;
      best = { corners: [...corners], signs: [...signs], minStep, maxStep };
    }
    if (bestCost === 0 || !advance(choice, partners)) return best; // nothing beats a cube already suppressed
  }
}

/**
 * Partners of `entry` along dimension j: the other coordinates whose entry on the same line is non-zero
 * (a zero corner would be a published zero) and not known, cheapest first: already suppressed, then
 * smallest count.
 */
function rankPartners(state: CubeSearchState, entry: number, j: number, c: number): number[] {
  const { lattice, suppressed, known } = state;
  const stride = lattice.strides[j]!;
  const candidates: Array<{ partner: number; cost: number }> = [];
  for (let p = 0; p < lattice.sizes[j]!; p++) {
    if (p === c) continue;
    const neighbour = entry + (p - c) * stride;
    const count = lattice.counts[neighbour]!;
    if (count > 0 && !known?.[neighbour])
      candidates.push({ partner: p, cost: suppressed[neighbour] ? 0 : count });
  }
  candidates.sort((a, b) => a.cost - b.cost || a.partner - b.partner);
  return candidates.map((candidate) => candidate.partner);
}

/** Shortens the longest candidate lists until the number of combinations fits the budget. */
function trimToBudget(partners: number[][], maxCombinations: number): void {
  const product = () => partners.reduce((acc, list) => acc * list.length, 1);
  while (product() > maxCombinations) {
    const longest = partners.reduce((a, b) => (b.length > a.length ? b : a));
    longest.pop();
  }
}

/** Odometer over the candidate lists; false when every combination has been seen. */
function advance(choice: number[], partners: number[][]): boolean {
  for (let j = choice.length - 1; j >= 0; j--) {
    choice[j]! += 1;
    if (choice[j]! < partners[j]!.length) return true;
    choice[j] = 0;
  }
  return false;
}

/**
 * The cube that always exists: add one record to a non-zero cell under `entry`. Its corners are that cell
 * and all its margins (including `entry`); all rise, so there is no lower bound to break. Expensive (it
 * suppresses margins up to the grand total), hence only used when the search finds nothing.
 */
export function addOneRecordCube(lattice: Lattice, entry: number): Cube {
  const { counts, strides, sizes } = lattice;
  // Walk down from `entry` to a cell, always into the largest non-zero sub-entry (it exists: entry > 0).
  let cell = entry;
  const cellCoordinates = coordinatesOf(lattice, entry);
  for (let j = 0; j < sizes.length; j++) {
    if (!isTotalCoordinate(lattice, j, cellCoordinates[j]!)) continue;
    const total = sizes[j]! - 1;
    let bestValue = 0;
    for (let v = 1; v < total; v++) {
      if (counts[cell + (v - total) * strides[j]!]! > counts[cell + (bestValue - total) * strides[j]!]!)
        bestValue = v;
    }
    cell += (bestValue - total) * strides[j]!;
    cellCoordinates[j] = bestValue;
  }
  const corners = [cell];
  for (let j = 0; j < sizes.length; j++) {
    const offset = (sizes[j]! - 1 - cellCoordinates[j]!) * strides[j]!;
    for (const corner of [...corners]) corners.push(corner + offset);
  }
  const smallest = Math.min(...corners.map((corner) => counts[corner]!));
  return { corners, signs: corners.map(() => 1), minStep: 1 - smallest, maxStep: Number.POSITIVE_INFINITY };
}
