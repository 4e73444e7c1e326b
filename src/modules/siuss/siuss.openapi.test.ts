import { describe, expect, it } from 'vitest';
import { apiComuni } from '../../../test/siuss/reference-examples.js';
import { psInput, sinbaInput } from '../../../test/siuss/fixtures.js';
import { validateWaasRequestBody, validateWaasResponse } from './siuss.openapi.js';
import { emittedEntriesSchema } from './siuss.schemas.js';
import { buildPsPsaSinaXml, buildSinbaXml, encodeFlow } from './siuss.xml.js';

type Doc = { paths: Record<string, Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any
const doc = apiComuni as Doc;
const flussiExamples = doc.paths['/flussi']?.get.responses['200'].content['application/json']
  .examples as Record<string, { value: unknown }>;

const ourAnswer = {
  elenco_flussi: [
    {
      codice_ente: 'H501',
      denominazione_ente: 'Comune di Roma',
      id_flusso: psInput.flowId,
      tipo: 'PS_PSA_SINA',
      ts_flusso: '2026-02-13T09:15:02.123Z',
      flusso: encodeFlow(buildPsPsaSinaXml(psInput)),
    },
    {
      codice_ente: 'H501',
      denominazione_ente: 'Comune di Roma',
      id_flusso: sinbaInput.flowId,
      tipo: 'SINBA',
      ts_flusso: '2026-02-13T09:15:02.124Z',
      flusso: encodeFlow(buildSinbaXml(sinbaInput)),
    },
  ],
};
const first = ourAnswer.elenco_flussi[0];
const withFirst = (change: Record<string, unknown>) => ({ elenco_flussi: [{ ...first, ...change }] });

describe('validateWaasResponse: GET /flussi 200', () => {
  it.each(Object.entries(flussiExamples))('accepts the yaml example %s', (_name, example) => {
    expect(validateWaasResponse('GET', '/flussi', 200, example.value)).toEqual({ valid: true, errors: [] });
  });

  it('accepts our answer, under our base path and with a query string', () => {
    const path = '/waas/v1/flussi?since=0&limit=10';
    expect(validateWaasResponse('GET', path, 200, ourAnswer, 'application/json; charset=utf-8')).toEqual({
      valid: true,
      errors: [],
    });
    expect(emittedEntriesSchema.safeParse(ourAnswer).success).toBe(true);
  });

  it.each([
    ['a lower-case codice_ente', withFirst({ codice_ente: 'h501' })],
    ['a codice_ente that is not Belfiore', withFirst({ codice_ente: 'H5011' })],
    ['a property INPS does not define', withFirst({ hash: 'x' })],
    ['tipo PS instead of PS_PSA_SINA', withFirst({ tipo: 'PS' })],
    ['ts_flusso in milliseconds instead of date-time', withFirst({ ts_flusso: 1_770_974_102_123 })],
    ['ts_flusso without time', withFirst({ ts_flusso: '2026-02-13' })],
    ['flusso not in base64', withFirst({ flusso: '<Flusso/>' })],
    ['an id_flusso over 64 characters', withFirst({ id_flusso: 'H501.PS.'.padEnd(65, '0') })],
    ['more than 100 entries', { elenco_flussi: Array.from({ length: 101 }, () => first) }],
    ['a top-level property INPS does not define', { ...ourAnswer, next: 'x' }],
    ['a bare array', ourAnswer.elenco_flussi],
  ])('rejects %s', (_name, body) => {
    const result = validateWaasResponse('GET', '/waas/v1/flussi', 200, body);
    expect(result.valid).toBe(false);
    expect(result.errors.length).toBeGreaterThan(0);
    expect(emittedEntriesSchema.safeParse(body).success).toBe(false);
  });

  it('rejects a status the yaml does not document for the operation', () => {
    expect(validateWaasResponse('GET', '/flussi', 401, { title: 'Unauthorised' }).errors).toEqual([
      'status 401 is not documented for GET /flussi',
    ]);
  });

  it('throws for an operation that is not in the yaml', () => {
    expect(() => validateWaasResponse('DELETE', '/flussi', 200, {})).toThrow(/not in api-comuni.yaml/);
  });
});

describe('validateWaasResponse: Problem bodies (GET /status, errors)', () => {
  it('accepts a Problem on GET /status and on a documented error', () => {
    const ok = { status: 200, title: 'OK', type: 'about:blank' };
    expect(validateWaasResponse('GET', '/status', 200, ok, 'application/problem+json').valid).toBe(true);
    const bad = {
      status: 400,
      title: 'Bad Request',
      detail: 'since is required',
      instance: 'https://comune.example/waas/v1/flussi',
    };
    expect(validateWaasResponse('GET', '/flussi', 400, bad).valid).toBe(true);
  });

  it.each([
    ['an extra `code` property (additionalProperties: false)', { status: 503, code: 'service_unavailable' }],
    ['a relative instance (format: uri)', { status: 400, instance: '/waas/v1/flussi' }],
    ['status 600 (exclusiveMaximum: true)', { status: 600 }],
    ['status 99', { status: 99 }],
  ])('rejects %s', (_name, body) => {
    expect(validateWaasResponse('GET', '/status', 503, body).valid).toBe(false);
  });

  it('reads a boolean exclusiveMaximum as "below 600", not as "no maximum"', () => {
    expect(validateWaasResponse('GET', '/status', 503, { status: 599 }).valid).toBe(true);
  });
});

describe('POST /esiti', () => {
  const example = doc.paths['/esiti']?.post.requestBody.content['application/json'].example;

  it('answers 204 without a body', () => {
    expect(validateWaasResponse('POST', '/esiti', 204, undefined).valid).toBe(true);
    expect(validateWaasResponse('POST', '/esiti', 204, { ok: true }).valid).toBe(false);
  });

  it('accepts the yaml example as a request body, and refuses malformed ones', () => {
    expect(validateWaasRequestBody('POST', '/esiti', example)).toEqual({ valid: true, errors: [] });
    const esito = {
      id_flusso: 'H501.PS.20210520.0000002',
      tipo: 'PS_PSA_SINA',
      ts_flusso: '2023-11-27T11:04:56.852Z',
    };
    const noOutcome = { elenco_esiti: [{ ...esito, ts_acquisizione: '2023-11-27T11:04:56.852Z' }] };
    expect(validateWaasRequestBody('POST', '/esiti', noOutcome).valid).toBe(false);
    const unknownOutcome = { elenco_esiti: [{ ...noOutcome.elenco_esiti[0], codice_esito: 'KO' }] };
    expect(validateWaasRequestBody('POST', '/esiti', unknownOutcome).valid).toBe(false);
  });
});
