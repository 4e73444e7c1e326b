import { z } from 'zod';
import { decimalPattern } from './siuss.decimal.js';

/**
 * Building blocks shared by the PS/PSA/SINA and SINBA flow inputs. Each schema states the XSD facet it
 * mirrors, so a value accepted here is accepted by PS_PSA_SINA201812.xsd / SINBA.xsd.
 */

/** `tipo` of a WaaS entry (api-comuni.yaml `TipoFlusso`). */
export const flowKinds = ['PS_PSA_SINA', 'SINBA'] as const;
export type FlowKind = (typeof flowKinds)[number];

/** Target namespace of both XSDs (elementFormDefault="qualified", attributes unqualified). */
export const casellarioNamespace = 'http://inps.it/Casellario';

/**
 * The XSD pattern of CodiceFiscale / CFOperatore, anchored. Note it only lets letters replace the last
 * three digits (omocodia levels 1–3): omocodic codes with letters in the year or day digits are rejected.
 * Temporary 11-digit codes are allowed (the XSD also tolerates up to 5 trailing blanks; we never pad).
 */
export const xsdTaxCodePattern =
  /^(?:[A-Za-z]{6}[0-9]{2}[A-Za-z][0-9]{2}[A-Za-z][A-Za-z0-9]{3}[A-Za-z]|[0-9]{11})$/;

/**
 * Normal form of a codice fiscale: no blanks, upper case. Omocodic letters are deliberately NOT turned back
 * into digits: an omocodic code is the official code of a different person than its base code.
 */
export function normaliseTaxCode(taxCode: string): string {
  return taxCode.replace(/\s+/g, '').toUpperCase();
}

export const taxCodeSchema = z
  .string()
  .regex(xsdTaxCodePattern, 'not a codice fiscale the SIUSS XSD accepts');

/** Belfiore (cadastral) code: LuogoNascita and Ente@Indirizzo have xs:length 4; codice_ente is `^[A-Z][0-9]{3}$`. */
export const belfioreSchema = z.string().regex(/^[A-Z][0-9]{3}$/, 'not a Belfiore code');

/** ISO 3166-1 numeric country code (CodiceCittadinanza, CodiceNazione): Italy is 380, 990 = not available. */
export const countryCodeSchema = z.string().regex(/^[0-9]{3}$/, 'not a 3-digit country code');

/** Region code of DM 1986 (CodiceRegione, pattern `[0-9]{2}`). */
export const regionCodeSchema = z.string().regex(/^[0-9]{2}$/, 'not a 2-digit region code');

/** ISTAT municipality code (CodiceComune, pattern `[0-9]{6}`) — not the Belfiore code. */
export const istatMunicipalitySchema = z
  .string()
  .regex(/^[0-9]{6}$/, 'not a 6-digit ISTAT municipality code');

/**
 * Free text bound for an XML attribute: no control characters (XML 1.0 forbids most of them; tabs and
 * newlines would be folded to spaces by attribute normalisation) and no lone surrogates. Lengths count
 * code points, as the XSD's minLength/maxLength do (a JS string's length counts UTF-16 units).
 */
export const xmlText = (min: number, max: number) =>
  z
    .string()
    .regex(/^[^\p{Cc}\p{Cs}\uFFFE\uFFFF]*$/u, 'contains characters an XML document cannot carry')
    .refine((value) => {
      const length = [...value].length;
      return length >= min && length <= max;
    }, `must be ${min}–${max} characters long`);

export const yearSchema = z.string().regex(/^[0-9]{4}$/, 'not a 4-digit year');

/** xs:date, written YYYY-MM-DD (calendar-checked). */
export const isoDateSchema = z.iso.date();

/** A month, written YYYY-MM in our API; the SINBA XSD wants MM/AAAA with year 19xx or 20xx (DataMeseAnnoType). */
export const yearMonthSchema = z.string().regex(/^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$/, 'not a YYYY-MM month');

/** SIUSS benefit code (CodicePrestazione: xs:string 5–10), in the catalogue's format `A1.01` or `A1.01.02`. */
export const siussCodeSchema = z
  .string()
  .regex(/^[A-Z][0-9]\.[0-9]{2}(\.[0-9]{2})?$/, 'not a SIUSS benefit code');

/** Money or hours as a decimal string (xs:decimal), never a float. */
export const decimalSchema = z.string().regex(decimalPattern, 'not a decimal string (e.g. "12.50")');

/** A decimal string strictly greater than zero (INPS: "Maggiore 0" for ImportoPrestazione, ImportoMensile). */
export const positiveDecimalSchema = decimalSchema.refine((v) => /[1-9]/.test(v), 'must be greater than 0');

/** Enumerations of the XSDs are the strings "1".."n"; these keep their literal types. */
export const code2 = z.enum(['1', '2']);
export const code3 = z.enum(['1', '2', '3']);
export const code4 = z.enum(['1', '2', '3', '4']);
export const code5 = z.enum(['1', '2', '3', '4', '5']);
export const code6 = z.enum(['1', '2', '3', '4', '5', '6']);
export const code7 = z.enum(['1', '2', '3', '4', '5', '6', '7']);
export const code8 = z.enum(['1', '2', '3', '4', '5', '6', '7', '8']);
export const code9 = z.enum(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
export const code10 = z.enum(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
export const code13 = z.enum(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13']);
export const code14 = z.enum(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14']);

/** `Ente` (EnteType): the same element heads both flows. */
export const siussOrganisationSchema = z.object({
  /** Ente@Codice (1–32), also `codice_ente` and EEEEE of `id_flusso`: for a Comune, its Belfiore code. */
  enteCode: belfioreSchema,
  /** Ente@Denominazione (optional, 1–100). */
  name: xmlText(1, 100).optional(),
  /** Ente@Indirizzo: Belfiore code of the municipality of the organisation's legal seat (xs:length 4). */
  seatBelfioreCode: belfioreSchema,
  /** Ente@CFOperatore: codice fiscale of the operator responsible for the flow. */
  operatorTaxCode: taxCodeSchema,
});
export type SiussOrganisation = z.infer<typeof siussOrganisationSchema>;
