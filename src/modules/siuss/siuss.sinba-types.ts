import { z } from 'zod';
import { isFlowId } from './siuss.flow-id.js';
import {
  code10,
  code13,
  code14,
  code2,
  code4,
  code5,
  code6,
  code8,
  code9,
  countryCodeSchema,
  regionCodeSchema,
  siussCodeSchema,
  siussOrganisationSchema,
  xmlText,
  yearMonthSchema,
  yearSchema,
} from './siuss.primitives.js';

/**
 * Input of one SINBA flow (SINBA.xsd, SinbaType): a pseudonymous record of a child in care — no name, no
 * codice fiscale, month/year dates, age and ISEE bands. Codes are the XSD enumerations ("1".."n"; the
 * meaning is in SINBA.xsd and Allegato C, Tabella 15); yes/no enumerations (1 SI, 2 NO) are booleans here.
 */

/** Father's or mother's data (…Padre / …Madre attributes, all optional). */
export const sinbaParentSchema = z.object({
  citizenshipCode: countryCodeSchema.optional(), // CodiceCittadinanzaPadre/Madre (ISO 3166, 990 n/a)
  residenceRegionCode: regionCodeSchema.optional(), // CodiceRegioneResidenzaPadre/Madre
  education: code6.optional(), // TitoloStudioPadre/Madre: 1 none … 6 degree
  occupation: code8.optional(), // OccupazionePadre/Madre
});

export const sinbaFlowInputSchema = z
  .object({
    /** IdentificazioneFlusso@Nome: the `id_flusso` of the WaaS entry (…`.SINBA.`…). */
    flowId: z
      .string()
      .max(50)
      .refine((id) => isFlowId(id, 'SINBA'), 'not a SINBA id_flusso'),
    organisation: siussOrganisationSchema,
    /** SINBA@IDBeneficiario (xs:string 1–20): the pseudonym from siuss.pseudonym.ts, never the codice fiscale. */
    beneficiaryId: xmlText(1, 20),
    /** Prestazioni/CodicePrestazione: the XSD allows 1..n, the WaaS channel one benefit per flow. */
    siussCode: siussCodeSchema,
    /** Famiglia/ComposizioneFamiglia (1..n): 1 mother, 2 father, 3 siblings, 4 grandparent, 5 partner, 6 other. */
    familyComposition: z.array(code6).min(1),
    unaccompaniedForeignMinor: z.boolean(), // MinoreStranieroNoAcc
    minorCondition: code5, // CondizioneMinore: 1 not orphan … 5 unknown parents
    livingPlace: code8, // LuogoVita
    school: code8, // ScuolaFrequentata
    workCondition: code4, // CondizioneLavoro
    disability: z.boolean(), // Disabilita
    disabilityType: code4.optional(), // TipoDisabilita: 1 physical, 2 mental, 3 sensory, 4 multiple
    civilDisabilityCertification: code5.optional(), // InvCivCertificazioni
    father: sinbaParentSchema.optional(),
    mother: sinbaParentSchema.optional(),
    firstReferralMonth: yearMonthSchema, // DataPrimaSegnalazione (MM/AAAA)
    referralSource: code14, // FonteSegnalazione
    minorAssessment: code13, // ValutazioneMinore
    familyAssessment: code13, // ValutazioneFamigliaMinore
    reportedToJudicialAuthority: z.boolean(), // SegnalazioneAutoritaGiudiziaria
    judicialReportMonth: yearMonthSchema.optional(), // DataSegnalazione
    judicialMeasure: z.boolean(), // ProvvedimentoGiudiziario
    judicialMeasureMonth: yearMonthSchema.optional(), // DataProvvedimentoGiudiziario
    judicialAuthority: code4.optional(), // AutoritaProvvedimento
    parentalAuthorityMeasure: code5.optional(), // PotestaTutela
    judicialMeasureType: code8.optional(), // TipoProvvedimentoGiudiziario
    fosterCare: z
      .object({
        form: code2.optional(), // FormaInterventoAffido: 1 consensual, 2 judicial
        type: code2.optional(), // TipoInterventoAffido: 1 within family, 2 other family
        duration: code2.optional(), // DurataAffido: 1 full time, 2 part time
        character: code2.optional(), // CarattereAffido: 1 residential, 2 daytime
        outcome: code9.optional(), // EsitoAffido
      })
      .optional(),
    residentialPlacement: z
      .object({
        character: code10.optional(), // CarattereInserimentoResidenziale
        form: code2.optional(), // FormaInserimentoResidenziale
        type: code2.optional(), // TipoInserimentoResidenziale: 1 with a parent, 2 without
        outcome: code9.optional(), // EsitoInserimentoStruttura
      })
      .optional(),
    closure: z
      .object({
        reason: code9.optional(), // MotivazioneChiusuraCarico
        situation: code8.optional(), // SituazioneChiusuraCarico
      })
      .optional(),
    collaboration: code9.optional(), // CollaborazioniInterventi
    iseeHouseholdSize: z.number().int().min(1).max(9).optional(), // NumeroComponentiISEE (xs:int ≤ 9)
    ageBand: code6, // FasciaEtaBeneficiario: see sinbaAgeBand()
    iseeBand: code8.optional(), // FasciaISEEBeneficiario: see sinbaIseeBand()
    birthYear: yearSchema, // AnnoNascita
    residenceRegionCode: regionCodeSchema.optional(), // CodiceRegioneResidenza: required for Italy
    residenceCountryCode: countryCodeSchema, // CodiceNazioneResidenza
  })
  .superRefine((s, ctx) => {
    if (s.residenceCountryCode === '380' && !s.residenceRegionCode) {
      ctx.addIssue({
        code: 'custom',
        path: ['residenceRegionCode'],
        message: 'required when residing in Italy',
      });
    }
  });

export type SinbaParent = z.infer<typeof sinbaParentSchema>;
export type SinbaFlowInput = z.infer<typeof sinbaFlowInputSchema>;
export type SinbaAgeBand = SinbaFlowInput['ageBand'];
export type SinbaIseeBand = NonNullable<SinbaFlowInput['iseeBand']>;
