import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleFlows } from '../../../test/siuss/reference-examples.js';
import { decodeFlow } from './siuss.xml.js';
import { disposeFlowValidators, validateFlowXml } from './siuss.xsd.js';

afterAll(() => disposeFlowValidators());

const examples = exampleFlows();

describe('the sample flows inside api-comuni.yaml', () => {
  it('are all found (two in GET /flussi examples, one in the Flusso schema)', () => {
    expect(examples.map((e) => e.kind).sort()).toEqual(['PS_PSA_SINA', 'PS_PSA_SINA', 'SINBA']);
  });

  it.each(examples)('$where decodes and validates against the $kind XSD', ({ kind, base64 }) => {
    expect(validateFlowXml(kind, decodeFlow(base64))).toEqual({ valid: true, errors: [] });
  });

  it.each(examples)('$where does not validate against the other XSD', ({ kind, base64 }) => {
    const other = kind === 'SINBA' ? 'PS_PSA_SINA' : 'SINBA';
    expect(validateFlowXml(other, decodeFlow(base64)).valid).toBe(false);
  });
});

describe('corrupted sample flows fail validation', () => {
  const ps = decodeFlow(examples.find((e) => e.kind === 'PS_PSA_SINA')?.base64 ?? '');
  const sinba = decodeFlow(examples.find((e) => e.kind === 'SINBA')?.base64 ?? '');

  const corruptions: [string, 'PS_PSA_SINA' | 'SINBA', string][] = [
    ['Genere outside its enumeration', 'PS_PSA_SINA', ps.replace('Genere="2"', 'Genere="3"')],
    ['required CodiceFiscale missing', 'PS_PSA_SINA', ps.replace(/CodiceFiscale="[^"]*"/, '')],
    ['malformed codice fiscale', 'PS_PSA_SINA', ps.replace('AAABBB39M66A351C', 'AAABBB39M66A351')],
    [
      'Indirizzo before Anagrafica',
      'PS_PSA_SINA',
      ps.replace(/(<Anagrafica[^>]*\/>)\s*(<Indirizzo[^>]*\/>)/, '$2$1'),
    ],
    [
      'amount that is not an xs:decimal',
      'PS_PSA_SINA',
      ps.replace('ImportoMensile="101.23"', 'ImportoMensile="101,23"'),
    ],
    [
      'DenominazionePrestazione under 10 characters',
      'PS_PSA_SINA',
      ps.replace('Telesoccorso e teleassistenza', 'Telesocc.'),
    ],
    ['wrong namespace', 'PS_PSA_SINA', ps.replace('http://inps.it/Casellario', 'http://inps.it/Other')],
    ['truncated document', 'PS_PSA_SINA', ps.slice(0, ps.length / 2)],
    [
      'month/year date in ISO form',
      'SINBA',
      sinba.replace('DataPrimaSegnalazione="01/2010"', 'DataPrimaSegnalazione="2010-01"'),
    ],
    ['IDBeneficiario over 20 characters', 'SINBA', sinba.replace('PROVA BENEF', 'A'.repeat(21))],
    ['Famiglia missing', 'SINBA', sinba.replace(/<Famiglia>[\s\S]*<\/Famiglia>/, '')],
  ];

  it.each(corruptions)('%s', (_name, kind, xml) => {
    const result = validateFlowXml(kind, xml);
    expect(result.valid).toBe(false);
    expect(result.errors.length).toBeGreaterThan(0);
  });

  it('reports libxml2 messages with line numbers', () => {
    const [error] = validateFlowXml('PS_PSA_SINA', ps.replace('Genere="2"', 'Genere="3"')).errors;
    expect(error).toMatch(/^line \d+: .*Genere.*enumeration/);
  });

  it('does not resolve external entities (a value read from a file would have made it valid)', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'siuss-xxe-')), 'id.txt');
    writeFileSync(file, 'FROMFILE');
    const entity = `<?xml version="1.0"?><!DOCTYPE Flusso [<!ENTITY x SYSTEM "${pathToFileURL(file).href}">]>`;
    const result = validateFlowXml('SINBA', entity + sinba.replace('PROVA BENEF', '&x;'));
    expect(result.valid).toBe(false);
    expect(result.errors.join()).toMatch(/external entity/);
  });
});
