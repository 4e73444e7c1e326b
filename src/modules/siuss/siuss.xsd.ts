import { readFileSync } from 'node:fs';
import { XmlDocument, XmlLibError, XsdValidator, type ErrorDetail } from 'libxml2-wasm';
import type { FlowKind } from './siuss.primitives.js';
import { referencePath, siussReferenceDir } from './siuss.reference.js';

/**
 * Validation of flow documents against the official XSDs, with libxml2 compiled to wasm. Neither XSD
 * includes or imports another (each is self-contained, same target namespace), so each is parsed alone.
 * The schemas are compiled once, on first use; the wasm heap is not garbage-collected, so every parsed
 * document is disposed in a `finally`, and `disposeFlowValidators` frees the schemas.
 */

export interface FlowValidation {
  valid: boolean;
  errors: string[];
}

interface LoadedSchema {
  schemaDocument: XmlDocument;
  validator: XsdValidator;
}

let loaded: Map<FlowKind, LoadedSchema> | undefined;

function loadSchema(file: string): LoadedSchema {
  const schemaDocument = XmlDocument.fromString(readFileSync(file, 'utf8'), { url: file });
  try {
    // The schema document is kept alive as long as the validator that was compiled from it.
    return { schemaDocument, validator: XsdValidator.fromDoc(schemaDocument) };
  } catch (error) {
    schemaDocument.dispose();
    throw error;
  }
}

/** Compiles both XSDs (idempotent). Call it at start-up to fail fast if the reference files are missing. */
export function loadFlowValidators(directory = siussReferenceDir): void {
  if (loaded) return;
  const psPsaSina = loadSchema(referencePath('psPsaSinaXsd', directory));
  try {
    loaded = new Map([
      ['PS_PSA_SINA', psPsaSina],
      ['SINBA', loadSchema(referencePath('sinbaXsd', directory))],
    ]);
  } catch (error) {
    psPsaSina.validator.dispose();
    psPsaSina.schemaDocument.dispose();
    throw error;
  }
}

/** Frees the compiled schemas (tests, shutdown). The next validation loads them again. */
export function disposeFlowValidators(): void {
  for (const { validator, schemaDocument } of loaded?.values() ?? []) {
    validator.dispose();
    schemaDocument.dispose();
  }
  loaded = undefined;
}

const describe = (detail: ErrorDetail): string => `line ${detail.line}: ${detail.message.trim()}`;

function errorsOf(error: unknown): string[] {
  if (error instanceof XmlLibError) {
    return error.details.length > 0 ? error.details.map(describe) : [error.message];
  }
  throw error;
}

/** Validates one flow document against the XSD of its kind. Malformed XML is reported, not thrown. */
export function validateFlowXml(kind: FlowKind, xml: string): FlowValidation {
  loadFlowValidators();
  const schema = loaded?.get(kind);
  if (!schema) throw new Error(`no XSD for flow kind ${kind}`);
  let document: XmlDocument | undefined;
  try {
    // Default parser options: no external entity loading, no DTD loading, no network.
    document = XmlDocument.fromString(xml);
    schema.validator.validate(document);
    return { valid: true, errors: [] };
  } catch (error) {
    return { valid: false, errors: errorsOf(error) };
  } finally {
    document?.dispose();
  }
}
