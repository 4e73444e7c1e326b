import {
  psPsaSinaFlowInputSchema,
  type PsPsaSinaFlowInput,
  type SinaAssessment,
} from './siuss.flow-types.js';
import { normaliseTaxCode } from './siuss.primitives.js';
import { sinbaFlowInputSchema, type SinbaFlowInput } from './siuss.sinba-types.js';
import { element, serialise, startFlow, textElement, yesNo, type XMLBuilder } from './siuss.xml-common.js';

/**
 * The two flow documents, built with xmlbuilder2, which escapes (`element` says how ampersands reach it).
 * Element order is the XSDs' xs:sequence order; attributes are written in declaration order only for
 * readability (XML attribute order carries no meaning). Inputs are parsed with their zod schema first, so
 * an invalid input throws a ZodError here instead of producing a document INPS would reject.
 */

export { decodeFlow, encodeFlow } from './siuss.xml-common.js';

/** `YYYY-MM` → `MM/AAAA` (SINBA DataMeseAnnoType). */
const monthYear = (value: string | undefined): string | undefined =>
  value === undefined ? undefined : `${value.slice(5, 7)}/${value.slice(0, 4)}`;
const text = (value: number | undefined): string | undefined =>
  value === undefined ? undefined : String(value);

/** SINA (SINAType): NecessitaInterventiSociali then InvaliditaCivile, both optional. */
function appendSina(parent: XMLBuilder, sina: SinaAssessment): void {
  const node = element(parent, 'SINA', {
    Mobilita: sina.mobility,
    AttivitaVitaQuotidiana: sina.dailyLivingActivities,
    DisturbiAreaCognitiva: sina.cognitiveDisorders,
    DisturbiComportamentali: sina.behaviouralDisorders,
    NecessitaCureSanitarie: sina.healthCareNeeds,
    AreaReddituale: sina.incomeSituation,
    AreaSupporto: sina.supportNetwork,
    FonteDerivazioneValutazione: sina.assessmentSource,
    StrumentoValutazione: sina.assessmentInstrument,
    FonteDerivazioneInvalidita: sina.disabilityEvidenceSource,
  });
  if (sina.neededBenefitCodes) {
    const needs = element(node, 'NecessitaInterventiSociali');
    for (const code of sina.neededBenefitCodes) textElement(needs, 'CodicePrestazione', code);
  }
  if (sina.civilDisabilityCertifications) {
    const invalidity = element(node, 'InvaliditaCivile');
    for (const code of sina.civilDisabilityCertifications) textElement(invalidity, 'InvCiv', code);
  }
}

/** A PS_PSA_SINA201812.xsd document: Flusso › IdentificazioneFlusso, Beneficiario › Anagrafica, Indirizzo, PrestazioniSociali. */
export function buildPsPsaSinaXml(input: PsPsaSinaFlowInput): string {
  const { flowId, organisation, beneficiary: person, benefit } = psPsaSinaFlowInputSchema.parse(input);
  const { document, root } = startFlow(flowId, organisation);
  const beneficiary = element(root, 'Beneficiario', { CodiceFiscale: normaliseTaxCode(person.taxCode) });
  element(beneficiary, 'Anagrafica', {
    Cognome: person.lastName,
    Nome: person.firstName,
    AnnoNascita: person.birthYear,
    LuogoNascita: person.birthPlaceBelfiore,
    Genere: person.sex === 'M' ? '1' : '2',
    CodiceCittadinanza: person.citizenshipCode,
    CodiceSecondaCittadinanza: person.secondCitizenshipCode,
  });
  element(beneficiary, 'Indirizzo', {
    CodiceRegione: person.residence.regionCode,
    CodiceComune: person.residence.municipalityIstatCode,
    CodiceNazione: person.residence.countryCode,
  });
  const prestazione = element(beneficiary, 'PrestazioniSociali', {
    TipoOperazione: benefit.operation === 'insert' ? 'I' : 'C',
    PresenzaProvaMezzi: benefit.meansTest,
    CaratterePrestazione: benefit.character === 'periodic' ? '1' : '2',
    NumeroProtocolloDSU: benefit.dsu?.protocolNumber,
    AnnoProtocolloDSU: benefit.dsu?.protocolYear,
    DataDSU: benefit.dsu?.date,
    CodicePrestazione: benefit.siussCode,
    DenominazionePrestazione: benefit.name,
    ProtocolloDomanda: benefit.applicationProtocol,
    DataEvento: benefit.eventDate,
    DataInizioPrestazione: benefit.startDate,
    DataFinePrestazione: benefit.endDate,
    DataErogazionePrestazione: benefit.deliveryDate,
    ImportoPrestazione: benefit.amount,
    PeriodoErogazione: text(benefit.months),
    ImportoMensile: benefit.monthlyAmount,
    ImportoQuotaEnte: benefit.organisationShare,
    ImportoQuotaUtente: benefit.userShare,
    ImportoQuotaSSN: benefit.healthServiceShare,
    ImportoQuotaRichiesta: benefit.requestedShare,
    ImportoSogliaISEE: benefit.iseeThreshold,
    OreServizioMensile: benefit.monthlyHours,
    PresaCarico: yesNo(benefit.takenInCharge),
    AreaUtenza: text(benefit.siussArea),
  });
  if (benefit.sina) appendSina(prestazione, benefit.sina);
  return serialise(document);
}

/** A SINBA.xsd document: Flusso › IdentificazioneFlusso, SINBA › Prestazioni, Famiglia. */
export function buildSinbaXml(input: SinbaFlowInput): string {
  const s = sinbaFlowInputSchema.parse(input);
  const { document, root } = startFlow(s.flowId, s.organisation);
  const sinba = element(root, 'SINBA', {
    IDBeneficiario: s.beneficiaryId,
    MinoreStranieroNoAcc: yesNo(s.unaccompaniedForeignMinor),
    CondizioneMinore: s.minorCondition,
    LuogoVita: s.livingPlace,
    ScuolaFrequentata: s.school,
    CondizioneLavoro: s.workCondition,
    Disabilita: yesNo(s.disability),
    TipoDisabilita: s.disabilityType,
    InvCivCertificazioni: s.civilDisabilityCertification,
    CodiceCittadinanzaPadre: s.father?.citizenshipCode,
    CodiceCittadinanzaMadre: s.mother?.citizenshipCode,
    CodiceRegioneResidenzaPadre: s.father?.residenceRegionCode,
    CodiceRegioneResidenzaMadre: s.mother?.residenceRegionCode,
    TitoloStudioPadre: s.father?.education,
    TitoloStudioMadre: s.mother?.education,
    OccupazionePadre: s.father?.occupation,
    OccupazioneMadre: s.mother?.occupation,
    DataPrimaSegnalazione: monthYear(s.firstReferralMonth),
    FonteSegnalazione: s.referralSource,
    ValutazioneMinore: s.minorAssessment,
    ValutazioneFamigliaMinore: s.familyAssessment,
    SegnalazioneAutoritaGiudiziaria: yesNo(s.reportedToJudicialAuthority),
    DataSegnalazione: monthYear(s.judicialReportMonth),
    ProvvedimentoGiudiziario: yesNo(s.judicialMeasure),
    DataProvvedimentoGiudiziario: monthYear(s.judicialMeasureMonth),
    AutoritaProvvedimento: s.judicialAuthority,
    PotestaTutela: s.parentalAuthorityMeasure,
    TipoProvvedimentoGiudiziario: s.judicialMeasureType,
    FormaInterventoAffido: s.fosterCare?.form,
    TipoInterventoAffido: s.fosterCare?.type,
    DurataAffido: s.fosterCare?.duration,
    CarattereAffido: s.fosterCare?.character,
    EsitoAffido: s.fosterCare?.outcome,
    CarattereInserimentoResidenziale: s.residentialPlacement?.character,
    FormaInserimentoResidenziale: s.residentialPlacement?.form,
    TipoInserimentoResidenziale: s.residentialPlacement?.type,
    EsitoInserimentoStruttura: s.residentialPlacement?.outcome,
    MotivazioneChiusuraCarico: s.closure?.reason,
    SituazioneChiusuraCarico: s.closure?.situation,
    CollaborazioniInterventi: s.collaboration,
    NumeroComponentiISEE: text(s.iseeHouseholdSize),
    FasciaEtaBeneficiario: s.ageBand,
    FasciaISEEBeneficiario: s.iseeBand,
    AnnoNascita: s.birthYear,
    CodiceRegioneResidenza: s.residenceRegionCode,
    CodiceNazioneResidenza: s.residenceCountryCode,
  });
  textElement(element(sinba, 'Prestazioni'), 'CodicePrestazione', s.siussCode);
  const family = element(sinba, 'Famiglia');
  for (const member of s.familyComposition) textElement(family, 'ComposizioneFamiglia', member);
  return serialise(document);
}
