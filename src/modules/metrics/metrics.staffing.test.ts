import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { staffingFigures } from './metrics.staffing.js';

describe('LEPS staffing figures (L. 178/2020 art. 1 c. 797)', () => {
  it('30,000 residents and 3.5 permanent FTE: 1:8,571.43, both levels missed', () => {
    expect(staffingFigures(30_000, 3.5)).toEqual({
      residentsPerFte: 8571.43,
      levels: [
        { residentsPerSocialWorker: 5000, met: false, requiredFte: 6, missingFte: 2.5 },
        { residentsPerSocialWorker: 4000, met: false, requiredFte: 7.5, missingFte: 4 },
      ],
    });
  });

  it('exactly on the level counts as met; the next level then misses one FTE', () => {
    expect(staffingFigures(20_000, 4).levels[0]).toEqual({ residentsPerSocialWorker: 5000, met: true, requiredFte: 4, missingFte: 0 });
    expect(staffingFigures(20_000, 4).levels[1]).toEqual({ residentsPerSocialWorker: 4000, met: false, requiredFte: 5, missingFte: 1 });
  });

  it('rounds a shortfall up to the hundredth of an FTE', () => {
    // 10,001 / 5,000 = 2.0002 → 2.01 required, 0.01 missing with 2 FTE.
    expect(staffingFigures(10_001, 2).levels[0]).toEqual({ residentsPerSocialWorker: 5000, met: false, requiredFte: 2.01, missingFte: 0.01 });
  });

  it('no social worker: no ratio, every required FTE missing; no population: nothing to compare', () => {
    expect(staffingFigures(12_000, 0)).toEqual({
      residentsPerFte: null,
      levels: [
        { residentsPerSocialWorker: 5000, met: false, requiredFte: 2.4, missingFte: 2.4 },
        { residentsPerSocialWorker: 4000, met: false, requiredFte: 3, missingFte: 3 },
      ],
    });
    expect(staffingFigures(null, 3).levels.every((l) => l.met === null && l.missingFte === null)).toBe(true);
    expect(staffingFigures(null, 3).residentsPerFte).toBeNull();
  });

  it('a level is met exactly when nothing is missing, and the missing FTE would meet it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_000_000 }), fc.integer({ min: 0, max: 100_000 }), (residents, hundredths) => {
        const fte = hundredths / 100;
        for (const level of staffingFigures(residents, fte).levels) {
          expect(level.met).toBe(level.missingFte === 0);
          expect((fte + level.missingFte!) * level.residentsPerSocialWorker).toBeGreaterThanOrEqual(residents - 1e-6);
        }
      }),
    );
  });
});
