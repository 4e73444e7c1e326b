import type { UserArea } from '../../shared/domain.js';
import { fiscalCode, omocode, temporaryFiscalCode } from './fiscal-code.js';
import { familyNames, femaleNames, foreignCountries, foreignFamilyNames, foreignFemaleNames, foreignMaleNames, maleNames, municipalities } from './italian-data.js';
import type { OrganisationContext } from './organisation.js';
import type { Random } from './random.js';
import type { Tables } from './tables.js';
import { DAY } from './timeline.js';

/** Age at referral, by user area: minors are minors, the elderly are over 65, and so on. */
function ageAtReferral(rng: Random, area: UserArea): number {
  switch (area) {
    case 'family_minors':
      return rng.int(0, 17);
    case 'elderly':
      return 65 + Math.floor(((rng.next() + rng.next() + rng.next()) / 3) * 36);
    case 'disability':
      return rng.int(2, 80);
    case 'addiction':
      return rng.int(18, 62);
    case 'immigrants':
      return rng.int(18, 55);
    default:
      return rng.int(18, 70);
  }
}

const streets = ['Via Roma', 'Via Garibaldi', 'Via Mazzini', 'Corso Italia', 'Via Dante', 'Via Verdi', 'Viale della Repubblica', 'Via XX Settembre', 'Piazza Cavour', 'Via Manzoni'];
const countryWeights = foreignCountries.map((c) => c.weight);

/**
 * One beneficiary with a valid codice fiscale (or, rarely for the foreign-born, a provisional 11-digit
 * code). `taken` holds the organisation's codes so far: a clash is resolved by omocodia, as in real life.
 */
export function generateCitizen(rng: Random, org: OrganisationContext, area: UserArea, referralDay: number, created: number, taken: Set<string>, t: Tables): string {
  const id = rng.uuid();
  const foreign = rng.chance(area === 'immigrants' ? 0.9 : 0.12);
  const sex = rng.chance(area === 'elderly' ? 0.62 : 0.5) ? 'F' : 'M';
  const givenName = rng.pick(foreign ? (sex === 'F' ? foreignFemaleNames : foreignMaleNames) : sex === 'F' ? femaleNames : maleNames);
  const familyName = rng.pick(foreign ? foreignFamilyNames : familyNames);
  const country = foreign ? rng.weighted(foreignCountries, countryWeights) : null;
  const birthPlace = country ? country.belfiore : rng.chance(0.75) ? org.municipality.belfiore : rng.pick(municipalities).belfiore;
  const citizenship = country && !rng.chance(0.2) ? country.citizenship : '100';
  // A little inside the year of age, so that calendar leap days never tip it over.
  const birthDay = referralDay - Math.floor((ageAtReferral(rng, area) + 0.01 + 0.98 * rng.next()) * 365.25) * DAY;
  const birthDate = new Date(birthDay).toISOString().slice(0, 10);

  let code: string;
  const temporary = foreign && rng.chance(0.03);
  if (temporary) {
    do code = temporaryFiscalCode(String(rng.int(1_000_000, 9_999_999)) + String(rng.int(100, 999)));
    while (taken.has(code));
  } else {
    const base = fiscalCode({ familyName, givenName, sex, birthDate, birthPlace });
    code = base;
    for (let level = 1; taken.has(code); level++) {
      // Seven omocodia levels exhaust the scheme; the next person is then simply born a day later.
      if (level > 7) return generateCitizen(rng, org, area, referralDay - DAY, created, taken, t);
      code = omocode(base, level);
    }
  }
  taken.add(code);
  const residence = JSON.stringify({ street: `${rng.pick(streets)} ${rng.int(1, 180)}`, municipality: org.municipality.belfiore });
  const contacts = rng.chance(0.6) ? JSON.stringify({ phone: `3${rng.int(10, 99)}${rng.int(1_000_000, 9_999_999)}` }) : null;
  const at = new Date(created).toISOString();
  t.citizens.add(id, org.id, code, temporary, givenName, familyName, sex, birthDate, birthPlace, citizenship, residence, contacts, at, at);
  return id;
}
