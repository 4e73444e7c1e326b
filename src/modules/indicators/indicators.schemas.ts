import { z } from 'zod';
import { indicatorDimensions, parseDimensionList, periodKeySchema } from './indicators.grid.js';
import { indicatorKinds, recordDimensions, type IndicatorKind } from './indicators.release.js';

/** Every table of at most two dimensions is released (INDICATORS.md, "Releases"). */
export const MAX_DIMENSIONS = 2;

/** `by`: dimension names of the indicator, comma-separated, at most two, none for the total alone. */
export function byParameter(indicator: IndicatorKind) {
  const allowed = recordDimensions[indicator];
  return z
    .string()
    .max(100)
    .refine(
      (value) => {
        const dimensions = parseDimensionList(value);
        return (
          dimensions !== null &&
          dimensions.length <= MAX_DIMENSIONS &&
          dimensions.every((d) => allowed.includes(d))
        );
      },
      { message: `must be at most ${MAX_DIMENSIONS} distinct names among ${allowed.join(', ')}` },
    )
    .default('')
    .meta({
      description: `Comma-separated dimensions (${allowed.join(', ')}), at most ${MAX_DIMENSIONS}; none for the total.`,
    });
}

export const indicatorQuery = (indicator: IndicatorKind) =>
  z.object({
    period: periodKeySchema.meta({
      description: 'A fixed period: month `YYYY-MM`, quarter `YYYY-Qn` or year `YYYY`.',
    }),
    by: byParameter(indicator),
    organisation: z
      .string()
      .regex(/^[A-Z][0-9]{3}$/, 'must be a Belfiore code')
      .optional()
      .meta({
        description:
          "Belfiore code of the organisation; the caller's own by default (regional clients: one they serve).",
      }),
  });
export type IndicatorQuery = z.infer<ReturnType<typeof indicatorQuery>>;

const count = z.number().int().nonnegative().nullable().meta({ description: '`null`: suppressed' });

/** A value per requested dimension (`null` = total over it), and the count. */
export const indicatorRow = z
  .object({
    ...Object.fromEntries(
      indicatorDimensions.map((dimension) => [dimension, z.string().nullable().optional()]),
    ),
    count,
  })
  .meta({ id: 'IndicatorRow' });

export const indicatorTableSchema = z
  .object({
    indicator: z.enum(indicatorKinds),
    organisation: z.string().meta({ description: 'Belfiore code' }),
    period: z.string(),
    dimensions: z.array(z.enum(indicatorDimensions)),
    k: z.number().int().meta({ description: 'Counts 0 < n < k are never published' }),
    method: z.string(),
    cells: z.array(indicatorRow),
    margins: z.array(indicatorRow),
    total: count,
  })
  .meta({ id: 'IndicatorTable' });

export const indicatorCsvSchema = z.string().meta({
  description:
    'indicator,organisation,period,<dimensions…>,count; `_T` = total over a dimension; an empty count is suppressed',
});
