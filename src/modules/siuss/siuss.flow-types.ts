import { z } from 'zod';
import { isDecimalString, toCents } from './siuss.decimal.js';
import { isFlowId } from './siuss.flow-id.js';
import {
  code2,
  code3,
  code4,
  code7,
  code8,
  countryCodeSchema,
  decimalSchema,
  isoDateSchema,
  istatMunicipalitySchema,
  positiveDecimalSchema,
  regionCodeSchema,
  siussCodeSchema,
  siussOrganisationSchema,
  taxCodeSchema,
  xmlText,
  yearSchema,
} from './siuss.primitives.js';

/**
 * Input of one PS/PSA/SINA flow (PS_PSA_SINA201812.xsd): one beneficiary, one benefit — the WaaS
 * cooperation channel allows no more (XSD annotations on Beneficiario and PrestazioniSociali). Field names
 * are ours; the XSD names are in the comments and in siuss.xml.ts. Conditional rules come from the
 * attribute tables of the INPS technical specification (Allegato B, Tabelle 7 and 9).
 */

/** Indirizzo (IndirizzoType): the residence. Region and ISTAT municipality are required for Italy (380). */
export const residenceSchema = z
  .object({
    countryCode: countryCodeSchema, // CodiceNazione (ISO 3166 numeric)
    regionCode: regionCodeSchema.optional(), // CodiceRegione
    municipalityIstatCode: istatMunicipalitySchema.optional(), // CodiceComune (ISTAT, not Belfiore)
  })
  .superRefine((r, ctx) => {
    if (r.countryCode !== '380') return;
    if (!r.regionCode)
      ctx.addIssue({ code: 'custom', path: ['regionCode'], message: 'required when residing in Italy' });
    if (!r.municipalityIstatCode) {
      ctx.addIssue({
        code: 'custom',
        path: ['municipalityIstatCode'],
        message: 'required when residing in Italy',
      });
    }
  });

/** Beneficiario@CodiceFiscale + Anagrafica (AnagraficaType). */
export const psBeneficiarySchema = z.object({
  taxCode: taxCodeSchema, // Beneficiario@CodiceFiscale
  lastName: xmlText(1, 36), // Anagrafica@Cognome
  firstName: xmlText(1, 36), // Anagrafica@Nome
  sex: z.enum(['M', 'F']), // Anagrafica@Genere: 1 maschio, 2 femmina
  /** Anagrafica@AnnoNascita: the XSD carries the year only, so we never take the full date. */
  birthYear: yearSchema,
  /** Anagrafica@LuogoNascita: Belfiore code (Z-codes for foreign countries), xs:length 4. */
  birthPlaceBelfiore: z.string().length(4),
  citizenshipCode: countryCodeSchema, // Anagrafica@CodiceCittadinanza (ISO 3166 numeric, not ISTAT)
  secondCitizenshipCode: countryCodeSchema.optional(), // Anagrafica@CodiceSecondaCittadinanza
  residence: residenceSchema,
});

/** SINA block (SINAType): multidimensional assessment for disability and non-self-sufficiency. */
export const sinaAssessmentSchema = z.object({
  /** NecessitaInterventiSociali/CodicePrestazione (1..n). */
  neededBenefitCodes: z.array(siussCodeSchema).min(1).optional(),
  /** InvaliditaCivile/InvCiv (1..n): 1–4 civil invalidity / NPI, 5–8 Law 104 articles. */
  civilDisabilityCertifications: z.array(code8).min(1).optional(),
  mobility: code3, // Mobilita: 1 alone, 2 assisted, 3 does not move
  dailyLivingActivities: code3, // AttivitaVitaQuotidiana: 1 autonomous … 3 totally dependent
  cognitiveDisorders: code3.optional(), // DisturbiAreaCognitiva: 1 mild, 2 moderate, 3 severe
  behaviouralDisorders: code2, // DisturbiComportamentali: 1 absent, 2 present
  healthCareNeeds: code3.optional(), // NecessitaCureSanitarie: 1 low, 2 medium, 3 high
  incomeSituation: code3, // AreaReddituale
  supportNetwork: code3, // AreaSupporto
  assessmentSource: code4, // FonteDerivazioneValutazione: 1 UVM, 2 cartella sociale, 3 other docs, 4 direct
  assessmentInstrument: code7, // StrumentoValutazione: 1 SVAMA … 7 other
  disabilityEvidenceSource: code2.optional(), // FonteDerivazioneInvalidita: 1 certificate, 2 self-declared
});

/** The one PrestazioniSociali (PrestazioniSocialiType). */
export const psBenefitSchema = z
  .object({
    operation: z.enum(['insert', 'delete']), // TipoOperazione: I inserimento, C cancellazione
    siussCode: siussCodeSchema, // CodicePrestazione
    name: xmlText(10, 200), // DenominazionePrestazione: at least 10 characters!
    applicationProtocol: xmlText(1, 32), // ProtocolloDomanda (required)
    /** PresenzaProvaMezzi: 1 ISEE, 2 other means test, 3 ISEE waived for this person, 4 no means test. */
    meansTest: code4,
    character: z.enum(['periodic', 'one_off']), // CaratterePrestazione: 1 periodico, 2 occasionale
    /** NumeroProtocolloDSU / AnnoProtocolloDSU / DataDSU: "all or none", hence one object. */
    dsu: z
      .object({ protocolNumber: xmlText(0, 30), protocolYear: yearSchema, date: isoDateSchema })
      .optional(),
    eventDate: isoDateSchema.optional(), // DataEvento
    startDate: isoDateSchema.optional(), // DataInizioPrestazione: required if periodic
    endDate: isoDateSchema.optional(), // DataFinePrestazione: same year as the start
    deliveryDate: isoDateSchema.optional(), // DataErogazionePrestazione: required if one-off
    amount: positiveDecimalSchema.optional(), // ImportoPrestazione: required if one-off
    months: z.number().int().min(1).max(12).optional(), // PeriodoErogazione (xs:int 1–12)
    monthlyAmount: positiveDecimalSchema.optional(), // ImportoMensile: required if periodic
    organisationShare: decimalSchema.optional(), // ImportoQuotaEnte
    userShare: decimalSchema.optional(), // ImportoQuotaUtente
    healthServiceShare: decimalSchema.optional(), // ImportoQuotaSSN
    requestedShare: decimalSchema.optional(), // ImportoQuotaRichiesta (statistical)
    iseeThreshold: decimalSchema.optional(), // ImportoSogliaISEE (statistical)
    /** OreServizioMensile: xs:decimal, so "2.50" — the PDF's "HH,MM" cannot be written in an xs:decimal. */
    monthlyHours: decimalSchema.optional(),
    takenInCharge: z.boolean(), // PresaCarico: 1 sì, 2 no
    siussArea: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(), // AreaUtenza: required if taken in charge
    sina: sinaAssessmentSchema.optional(), // SINA (optional element)
  })
  .superRefine((b, ctx) => {
    const require = (field: keyof typeof b, why: string) => {
      if (b[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `required ${why}` });
    };
    const total = b.character === 'periodic' ? b.monthlyAmount : b.amount;
    if (b.character === 'periodic') {
      require('startDate', 'for a periodic benefit');
      require('monthlyAmount', 'for a periodic benefit');
    } else {
      require('deliveryDate', 'for a one-off benefit');
      require('amount', 'for a one-off benefit');
    }
    if (b.takenInCharge) require('siussArea', 'when the beneficiary is taken in charge');
    if (b.startDate && b.endDate) {
      if (b.endDate < b.startDate)
        ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'before startDate' });
      if (b.endDate.slice(0, 4) !== b.startDate.slice(0, 4)) {
        ctx.addIssue({
          code: 'custom',
          path: ['endDate'],
          message: 'must fall in the same year as startDate',
        });
      }
    }
    // "se compilato la somma delle quote uguale a importo mensile/prestazione".
    const shares = [b.organisationShare, b.userShare, b.healthServiceShare].filter((s) => s !== undefined);
    // zod runs this check even when a field above failed its own pattern: compare only well-formed amounts.
    if (shares.length > 0 && total !== undefined && [...shares, total].every(isDecimalString)) {
      const sum = shares.reduce((acc, s) => acc + toCents(s), 0n);
      if (sum !== toCents(total)) {
        ctx.addIssue({
          code: 'custom',
          path: ['organisationShare'],
          message: 'shares must add up to the amount',
        });
      }
    }
  });

export const psPsaSinaFlowInputSchema = z.object({
  /** IdentificazioneFlusso@Nome: the `id_flusso` of the WaaS entry (…`.PS.`…). */
  flowId: z
    .string()
    .max(50)
    .refine((id) => isFlowId(id, 'PS_PSA_SINA'), 'not a PS id_flusso'),
  organisation: siussOrganisationSchema,
  beneficiary: psBeneficiarySchema,
  benefit: psBenefitSchema,
});

export type Residence = z.infer<typeof residenceSchema>;
export type PsBeneficiary = z.infer<typeof psBeneficiarySchema>;
export type SinaAssessment = z.infer<typeof sinaAssessmentSchema>;
export type PsBenefit = z.infer<typeof psBenefitSchema>;
export type PsPsaSinaFlowInput = z.infer<typeof psPsaSinaFlowInputSchema>;

export * from './siuss.sinba-types.js';
