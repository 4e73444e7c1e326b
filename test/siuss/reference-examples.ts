import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { FlowKind } from '../../src/modules/siuss/siuss.primitives.js';
import { referencePath } from '../../src/modules/siuss/siuss.reference.js';

/** Every sample flow INPS ships inside api-comuni.yaml, found by walking the whole document. */
export interface ExampleFlow {
  where: string;
  kind: FlowKind;
  base64: string;
}

export const apiComuni: unknown = parse(readFileSync(referencePath('openApi'), 'utf8'));

function walk(node: unknown, where: string, found: ExampleFlow[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => walk(item, `${where}/${index}`, found));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  // An entry of elenco_flussi: its `tipo` says which XSD applies.
  if (typeof record.flusso === 'string' && (record.tipo === 'PS_PSA_SINA' || record.tipo === 'SINBA')) {
    found.push({ where, kind: record.tipo, base64: record.flusso });
  }
  // The `example` of the Flusso.flusso property has no `tipo`: its Nome (`H501.PS.…`) makes it a PS flow.
  if (where.endsWith('/properties/flusso') && typeof record.example === 'string') {
    found.push({ where: `${where}/example`, kind: 'PS_PSA_SINA', base64: record.example });
  }
  for (const [key, value] of Object.entries(record)) walk(value, `${where}/${key}`, found);
}

export function exampleFlows(): ExampleFlow[] {
  const found: ExampleFlow[] = [];
  walk(apiComuni, '#', found);
  return found;
}
