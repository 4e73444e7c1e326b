import { z } from 'zod';

/**
 * The WaaS e-service's JSON shapes, transcribed from api-comuni.yaml (OpenAPI 3.0.3, v2.0.1) keeping INPS's
 * snake_case names, patterns, enums and limits. `additionalProperties: false` in the yaml is a strict
 * object here; where the yaml allows extra properties (EsitoFlusso) so do we. The yaml marks no property of
 * Flusso/Entries/ElencoEsiti as required: the transcriptions keep them optional, and `emitted…` variants
 * require every property, for what we serve (the specification §3.2 lists them all for each entry).
 */

/** TipoFlusso. */
export const tipoFlussoSchema = z.enum(['PS_PSA_SINA', 'SINBA']);

/** UnixTimestamp (int64, 0…1e20): milliseconds. Arrives in a query string, hence digits then a number. */
export const unixTimestampSchema = z
  .string()
  .regex(/^[0-9]{1,20}$/, 'not a timestamp in milliseconds')
  // The yaml allows up to 1e20, past what a JS number (or a bigint column) holds exactly; no flow is ever
  // that late, so larger values mean "after everything" and are clamped rather than refused.
  .transform((digits) => Math.min(Number(digits), Number.MAX_SAFE_INTEGER))
  .pipe(z.number().int().min(0));

/** GET /flussi query. `max_entries` is not in the yaml but is what the PDF's example call (§3.4.1) sends. */
export const flussiQuerySchema = z.object({
  since: unixTimestampSchema,
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, 'not an integer')
    .transform(Number)
    .pipe(z.number().int().min(0).max(100))
    .optional(),
  max_entries: z
    .string()
    .regex(/^[0-9]{1,3}$/, 'not an integer')
    .transform(Number)
    .pipe(z.number().int().min(0).max(100))
    .optional(),
});
export const defaultFlussiLimit = 10;

/** Flusso: one entry of `elenco_flussi`. */
export const flussoSchema = z.strictObject({
  codice_ente: z
    .string()
    .min(4)
    .max(4)
    .regex(/^[A-Z][0-9]{3}$/)
    .optional(),
  denominazione_ente: z.string().max(256).optional(),
  id_flusso: z.string().max(64).optional(),
  tipo: tipoFlussoSchema.optional(),
  /** format: date-time (RFC 3339). INPS sends back its millisecond value as `since`. */
  ts_flusso: z.iso.datetime({ offset: true }).optional(),
  /** format: byte — base64 of the XML document; maxLength 10 000 000. */
  flusso: z.base64().max(10_000_000).optional(),
});

/** Entries: the 200 answer of GET /flussi. */
export const entriesSchema = z.strictObject({
  elenco_flussi: z.array(flussoSchema).min(0).max(100).optional(),
});

export const emittedFlussoSchema = flussoSchema.required();
export const emittedEntriesSchema = z.strictObject({
  elenco_flussi: z.array(emittedFlussoSchema).min(0).max(100),
});

export const codiciEsito = ['OK', 'DATI_NON_TROVATI', 'RICHIESTA_INVALIDA', 'ERRORE_GENERICO'] as const;

/** EsitoFlusso: no additionalProperties restriction (the PDF's example adds codice_ente, codice_siuss, …). */
export const esitoFlussoSchema = z.looseObject({
  id_flusso: z.string(),
  /** A plain string in the yaml (not the TipoFlusso enum). */
  tipo: z.string(),
  ts_flusso: z.iso.datetime({ offset: true }),
  ts_acquisizione: z.iso.datetime({ offset: true }),
  codice_esito: z.enum(codiciEsito),
  descrizione_esito: z.string().optional(),
  /** Set only when codice_esito is OK. */
  id_acquisizione_siuss: z.string().optional(),
});

/** ElencoEsiti: the body of POST /esiti. */
export const elencoEsitiSchema = z.strictObject({
  elenco_esiti: z.array(esitoFlussoSchema).min(0).max(100).optional(),
});

/**
 * Problem (application/problem+json): the body of GET /status and of every WaaS error. additionalProperties
 * is false, so no `code` or field list may be added; `instance` and `type` are absolute URIs (format: uri).
 */
export const problemSchema = z.strictObject({
  detail: z.string().max(4096).optional(),
  instance: z.url().max(4096).optional(),
  status: z.number().int().min(100).lt(600).optional(),
  title: z.string().max(4096).optional(),
  type: z.url().max(4096).optional(),
});
/** GET /status answers 200 with a Problem too. */
export const statusResponseSchema = problemSchema;

export type TipoFlusso = z.infer<typeof tipoFlussoSchema>;
export type FlussiQuery = z.infer<typeof flussiQuerySchema>;
export type Flusso = z.infer<typeof flussoSchema>;
export type EmittedFlusso = z.infer<typeof emittedFlussoSchema>;
export type EmittedEntries = z.infer<typeof emittedEntriesSchema>;
export type EsitoFlusso = z.infer<typeof esitoFlussoSchema>;
export type ElencoEsiti = z.infer<typeof elencoEsitiSchema>;
export type Problem = z.infer<typeof problemSchema>;
