/**
 * Codice fiscale of a person (DM 23/12/1976): surname and name codes, birth year, month letter, day (+40
 * for women), Belfiore code of the birth place, check character. Collisions between two people are resolved
 * the way the Agenzia delle Entrate does (omocodia): digits are replaced by letters, rightmost first.
 */
const monthLetters = 'ABCDEHLMPRST';
const omocodiaLetters = 'LMNPQRSTUV';
/** Indices of the digits omocodia may replace, in the order they are replaced. */
const omocodiaPositions = [14, 13, 12, 10, 9, 7, 6];
const oddValues = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

function lettersOf(text: string): string {
  return text
    .normalize('NFD')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
}

function split(text: string): { consonants: string; vowels: string } {
  const letters = lettersOf(text);
  return { consonants: letters.replace(/[AEIOU]/g, ''), vowels: letters.replace(/[^AEIOU]/g, '') };
}

export function surnameCode(surname: string): string {
  const { consonants, vowels } = split(surname);
  return `${consonants}${vowels}XXX`.slice(0, 3);
}

export function nameCode(name: string): string {
  const { consonants, vowels } = split(name);
  if (consonants.length >= 4) return consonants[0]! + consonants[2]! + consonants[3]!;
  return `${consonants}${vowels}XXX`.slice(0, 3);
}

/** `birthDate` as 'YYYY-MM-DD'. */
export function dateCode(birthDate: string, sex: 'M' | 'F'): string {
  const day = Number(birthDate.slice(8, 10)) + (sex === 'F' ? 40 : 0);
  return birthDate.slice(2, 4) + monthLetters[Number(birthDate.slice(5, 7)) - 1]! + String(day).padStart(2, '0');
}

function valueOf(char: string, odd: boolean): number {
  const code = char.charCodeAt(0);
  const index = code <= 57 ? code - 48 : code - 65;
  return odd ? oddValues[index]! : index;
}

/** The check character of the first 15 characters. */
export function checkCharacter(first15: string): string {
  let sum = 0;
  // Positions are counted from 1: odd positions are the even indices.
  for (let i = 0; i < 15; i++) sum += valueOf(first15[i]!, i % 2 === 0);
  return String.fromCharCode(65 + (sum % 26));
}

export interface Person {
  familyName: string;
  givenName: string;
  sex: 'M' | 'F';
  birthDate: string;
  birthPlace: string;
}

export function fiscalCode(person: Person): string {
  const body = surnameCode(person.familyName) + nameCode(person.givenName) + dateCode(person.birthDate, person.sex) + person.birthPlace;
  return body + checkCharacter(body);
}

/** The `level`-th omocodia variant (1 ≤ level ≤ 7) of a code: its `level` rightmost digits become letters. */
export function omocode(code: string, level: number): string {
  const chars = code.slice(0, 15).split('');
  for (const position of omocodiaPositions.slice(0, level)) {
    const char = chars[position]!;
    if (char >= '0' && char <= '9') chars[position] = omocodiaLetters[Number(char)]!;
  }
  const body = chars.join('');
  return body + checkCharacter(body);
}

/**
 * A provisional code (codice fiscale provvisorio) as the Agenzia delle Entrate issues it: 11 digits, the last
 * a check digit computed like a partita IVA's (odd positions as they are, even positions doubled, digits
 * summed).
 */
export function temporaryFiscalCode(firstTen: string): string {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const digit = Number(firstTen[i]);
    const doubled = digit * 2;
    sum += i % 2 === 0 ? digit : doubled > 9 ? doubled - 9 : doubled;
  }
  return firstTen + String((10 - (sum % 10)) % 10);
}
