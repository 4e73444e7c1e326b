/**
 * The LEPS staffing level of L. 178/2020 art. 1 c. 797: one social worker on a permanent contract for every
 * 5,000 residents (the essential level) and for every 4,000 (the further objective). Pure arithmetic on the
 * year's residents and the permanent social-worker FTE (METRICS.md §Staffing).
 */
export const lepsLevels = [5000, 4000] as const;

export interface LevelFigures {
  residentsPerSocialWorker: number;
  met: boolean | null;
  requiredFte: number | null;
  missingFte: number | null;
}

/**
 * FTE are numeric(3,2) in the database: counted here in whole hundredths, so the comparison and the shortfall
 * are exact integers (no binary-float edge where a level is "missed" by 1e-13). A shortfall is rounded up to
 * the next hundredth of an FTE, never understated.
 */
export function staffingFigures(residents: number | null, fte: number) {
  const fteHundredths = Math.round(fte * 100);
  return {
    residentsPerFte: residents !== null && fteHundredths > 0 ? Math.round((residents * 10_000) / fteHundredths) / 100 : null,
    levels: lepsLevels.map((level): LevelFigures => {
      if (residents === null) return { residentsPerSocialWorker: level, met: null, requiredFte: null, missingFte: null };
      const requiredHundredths = Math.ceil((residents * 100) / level);
      return {
        residentsPerSocialWorker: level,
        met: fteHundredths >= requiredHundredths,
        requiredFte: requiredHundredths / 100,
        missingFte: Math.max(0, requiredHundredths - fteHundredths) / 100,
      };
    }),
  };
}
