import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateWaasRequestBody, validateWaasResponse } from './siuss.openapi.js';
import {
  defaultFlussiLimit,
  elencoEsitiSchema,
  entriesSchema,
  flussiQuerySchema,
  problemSchema,
} from './siuss.schemas.js';

/**
 * The zod transcriptions must agree with api-comuni.yaml itself: for bodies assembled from good and bad
 * field values, zod and Ajv (running the yaml's schemas) give the same verdict.
 */

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const dropUndefined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const dateTime = fc.constantFrom(
  '2023-11-27T11:04:56.852Z',
  '2026-02-13T10:15:00+01:00',
  '2023-11-27',
  'ieri',
  1_701_083_096_852,
);
const flusso = fc
  .record({
    codice_ente: maybe(fc.constantFrom('H501', 'A001', 'h501', 'H5011', 'H50', 501)),
    denominazione_ente: maybe(fc.constantFrom('Comune di Roma', '', 'x'.repeat(256), 'x'.repeat(257))),
    id_flusso: maybe(fc.constantFrom('H501.PS.20210520.0000002', 'x'.repeat(64), 'x'.repeat(65))),
    tipo: maybe(fc.constantFrom('PS_PSA_SINA', 'SINBA', 'PS', 'sinba')),
    ts_flusso: maybe(dateTime),
    flusso: maybe(fc.constantFrom('PEZsdXNzbz4=', 'PEZsdXNzbyAvPg==', '', '<Flusso/>', 'PEZsdXNzbz4')),
    extra: maybe(fc.constant('not in the yaml')),
  })
  .map(dropUndefined);

const esito = fc
  .record({
    id_flusso: maybe(fc.constantFrom('H501.PS.20210520.0000002', 42)),
    tipo: maybe(fc.constantFrom('PS_PSA_SINA', 'anything')),
    ts_flusso: maybe(dateTime),
    ts_acquisizione: maybe(dateTime),
    codice_esito: maybe(
      fc.constantFrom('OK', 'DATI_NON_TROVATI', 'RICHIESTA_INVALIDA', 'ERRORE_GENERICO', 'KO'),
    ),
    descrizione_esito: maybe(fc.constantFrom('ok', 7)),
    id_acquisizione_siuss: maybe(fc.constantFrom('22738', 22738)),
    codice_siuss: maybe(fc.constant('22738')), // in the PDF's example, not in the yaml: allowed
  })
  .map(dropUndefined);

const problem = fc
  .record({
    detail: maybe(fc.constantFrom('Connection timed out', 'x'.repeat(4097))),
    instance: maybe(fc.constantFrom('https://comune.example/waas/v1/flussi', '/waas/v1/flussi', 'not a uri')),
    status: maybe(fc.constantFrom(100, 200, 503, 599, 600, 99, 503.5, '503')),
    title: maybe(fc.constantFrom('Service Unavailable', 'x'.repeat(4097))),
    type: maybe(fc.constantFrom('about:blank', 'https://tools.ietf.org/html/rfc7231#section-6.6.4', 'blank')),
    code: maybe(fc.constant('service_unavailable')),
  })
  .map(dropUndefined);

describe('zod schemas agree with api-comuni.yaml', () => {
  it('Entries (GET /flussi 200)', () => {
    const body = fc.oneof(
      fc.record({ elenco_flussi: fc.array(flusso, { maxLength: 3 }) }),
      fc.constant({}),
      fc.constant({ elenco_flussi: Array.from({ length: 101 }, () => ({})) }),
    );
    fc.assert(
      fc.property(body, (b) => {
        expect(entriesSchema.safeParse(b).success).toBe(validateWaasResponse('GET', '/flussi', 200, b).valid);
      }),
      { numRuns: 500 },
    );
  });

  it('ElencoEsiti (POST /esiti body)', () => {
    const body = fc.oneof(
      fc.record({ elenco_esiti: fc.array(esito, { maxLength: 3 }) }),
      fc.constant({ other: [] }),
    );
    fc.assert(
      fc.property(body, (b) => {
        expect(elencoEsitiSchema.safeParse(b).success).toBe(
          validateWaasRequestBody('POST', '/esiti', b).valid,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('Problem (GET /status)', () => {
    fc.assert(
      fc.property(problem, (b) => {
        expect(problemSchema.safeParse(b).success).toBe(validateWaasResponse('GET', '/status', 200, b).valid);
      }),
      { numRuns: 500 },
    );
  });
});

describe('flussiQuerySchema', () => {
  it('takes since in milliseconds and an optional limit of 0–100', () => {
    expect(flussiQuerySchema.parse({ since: '0' })).toEqual({ since: 0 });
    expect(flussiQuerySchema.parse({ since: '1696839476000', limit: '100' })).toEqual({
      since: 1_696_839_476_000,
      limit: 100,
    });
    expect(flussiQuerySchema.parse({ since: '1', max_entries: '5' }).max_entries).toBe(5);
    expect(defaultFlussiLimit).toBe(10);
  });

  it.each([
    {},
    { since: '' },
    { since: '-1' },
    { since: '1.5' },
    { since: '0', limit: '101' },
    { since: '0', limit: 'ten' },
  ])('refuses %o', (query) => {
    expect(flussiQuerySchema.safeParse(query).success).toBe(false);
  });
});
