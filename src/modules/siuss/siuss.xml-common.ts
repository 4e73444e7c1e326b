import { createRequire } from 'node:module';
import type * as XmlBuilder2 from 'xmlbuilder2';
import { casellarioNamespace, normaliseTaxCode, type SiussOrganisation } from './siuss.primitives.js';

/** Parts shared by the two flow builders: the Flusso root and its IdentificazioneFlusso/Ente header. */

// xmlbuilder2 is a large module that only SIUSS flows need: required at the first flow, not at every start
// (warm start target 1.5 s). It is CommonJS, so the builders stay synchronous.
const require = createRequire(import.meta.url);
let xmlbuilder: typeof XmlBuilder2 | undefined;
const xml = () => (xmlbuilder ??= require('xmlbuilder2') as typeof XmlBuilder2);

/** xmlbuilder2 does not export its node interface from the package root. */
export type XMLBuilder = ReturnType<typeof XmlBuilder2.create>;

export type Attributes = Record<string, string | undefined>;

/**
 * xmlbuilder2 writes "&name;" and "&#n;" through unescaped, taking them for references the caller wrote (by
 * design; its issues #110 and #117). A record holding "&AAA;" would then give a document INPS cannot parse,
 * and one holding "&amp;" would reach INPS as "&". Handed every "&" as the reference "&amp;", it has nothing
 * left to guess; it still escapes <, > and " itself.
 */
const literal = (value: string): string => value.replaceAll('&', '&amp;');

/** An element in the Casellario namespace (both XSDs: elementFormDefault="qualified"); absent attributes are omitted. */
export function element(parent: XMLBuilder, name: string, attributes: Attributes = {}): XMLBuilder {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) present[key] = literal(value);
  return parent.ele(casellarioNamespace, name, present);
}

/** An element whose content is the text `content`. */
export function textElement(parent: XMLBuilder, name: string, content: string): XMLBuilder {
  return element(parent, name).txt(literal(content));
}

/** SI/NO enumerations of the XSDs (PresaCarico, Disabilita, …): 1 = SI, 2 = NO. */
export const yesNo = (value: boolean): '1' | '2' => (value ? '1' : '2');

/** `Flusso` with `IdentificazioneFlusso` (Nome = id_flusso) and its `Ente`: the common head of both XSDs. */
export function startFlow(
  flowId: string,
  organisation: SiussOrganisation,
): { document: XMLBuilder; root: XMLBuilder } {
  const document = xml().create({ version: '1.0', encoding: 'UTF-8' });
  const root = document.ele(casellarioNamespace, 'Flusso');
  const identification = element(root, 'IdentificazioneFlusso', { Nome: flowId });
  element(identification, 'Ente', {
    Codice: organisation.enteCode,
    Denominazione: organisation.name,
    Indirizzo: organisation.seatBelfioreCode,
    CFOperatore: normaliseTaxCode(organisation.operatorTaxCode),
  });
  return { document, root };
}

/** Indented, so libxml2's "line N" in a validation error points at one element. */
export function serialise(document: XMLBuilder): string {
  return document.end({ prettyPrint: true, indent: '  ' });
}

/** The `flusso` property of a WaaS entry: the XML document, UTF-8, base64 (format: byte). */
export function encodeFlow(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

export function decodeFlow(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}
