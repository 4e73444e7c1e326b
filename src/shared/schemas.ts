import { z } from 'zod';

/** Zod types shared by every module's schemas (SPEC §5: UUID ids, YYYY-MM-DD dates, RFC 3339 UTC times). */
export const uuid = z.uuid();
export const isoDate = z.iso.date();
export const timestamp = z.iso.datetime({ offset: true });
/** Timestamps leave the database as Dates and the API as RFC 3339 strings in UTC. */
export const timestampOut = z.codec(z.iso.datetime(), z.date(), {
  decode: (text) => new Date(text),
  encode: (date) => date.toISOString(),
});
export const nonEmpty = (max: number) => z.string().trim().min(1).max(max);
/** Decimal amounts travel as strings so that no binary floating point ever touches money. */
export const decimalString = (scale = 2) =>
  z.string().regex(new RegExp(`^(0|[1-9][0-9]{0,9})(\\.[0-9]{1,${scale}})?$`), `must be a decimal number with at most ${scale} decimals`);

export const idParams = <K extends string>(...names: K[]) =>
  z.object(Object.fromEntries(names.map((n) => [n, uuid])) as Record<K, typeof uuid>);

export const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string(),
    invalidParams: z.array(z.object({ name: z.string(), reason: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

/** The problem responses every authenticated API route may give, for the OpenAPI document. */
export const problemResponses = {
  400: problem,
  401: problem,
  403: problem,
  404: problem,
  409: problem,
  412: problem,
  422: problem,
  428: problem,
  429: problem,
  503: problem,
} as const;

export const ifMatchHeader = z.object({ 'if-match': z.string().optional() });
export const idempotencyHeader = z.object({ 'idempotency-key': z.string().optional() });
