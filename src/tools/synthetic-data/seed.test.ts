import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minimumStaffPerOrganisation } from './organisation.js';
import { apportion, planOrganisations } from './seed.js';

describe('planning the synthetic deployment', () => {
  it('apportions exactly, proportionally, with the minimum', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3_000_000 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2_000_000 }), (weights, minimum, extra) => {
        const total = minimum * weights.length + extra;
        const shares = apportion(total, weights, minimum);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
        const sum = weights.reduce((a, b) => a + b, 0);
        shares.forEach((share, i) => expect(Math.abs(share - minimum - (extra * weights[i]!) / sum)).toBeLessThan(1));
      }),
    );
  });

  it('sizes organisations by population and refuses impossible requests', () => {
    const plans = planOrganisations({ organisations: 20, cases: 1_000_000, staff: 3000, seed: 42 });
    expect(plans.reduce((n, p) => n + p.cases, 0)).toBe(1_000_000);
    expect(plans.reduce((n, p) => n + p.staff, 0)).toBe(3000);
    expect(plans[1]!.municipality.name).toBe('Roma');
    expect(plans[1]!.cases).toBeGreaterThan(plans[0]!.cases);
    expect(plans.every((p) => p.staff >= minimumStaffPerOrganisation)).toBe(true);
    expect(() => planOrganisations({ organisations: 41, cases: 100, staff: 1000, seed: 1 })).toThrow(/organisations/);
    expect(() => planOrganisations({ organisations: 2, cases: 1, staff: 100, seed: 1 })).toThrow(/cases/);
    expect(() => planOrganisations({ organisations: 2, cases: 100, staff: 39, seed: 1 })).toThrow(/staff/);
    expect(() => planOrganisations({ organisations: 2, cases: 100, staff: 40, seed: 1.5 })).toThrow(/seed/);
  });
});
