import codiceFiscaleModule from 'codice-fiscale-js';

/**
 * The codice fiscale (D.P.R. 605/1973). A full code has 16 characters; codice-fiscale-js checks its pattern
 * (omocodia letters LMNPQRSTUV allowed in the seven numeric positions) and its check character. It does not
 * check that the embedded birth day exists, so that is done here, as is the temporary code (codice fiscale
 * provvisorio): 11 digits whose last is a Luhn-style check digit, the same form as a partita IVA.
 *
 * The code is not cross-checked against the stated birth date or sex: the Agenzia delle Entrate assigns it
 * and it stays valid even when it was computed from wrong data, so a mismatch is not a reason to refuse it.
 */
// The package's CommonJS build exports `{ CodiceFiscale }` while its typings declare a default export.
const { CodiceFiscale } = codiceFiscaleModule as unknown as {
  CodiceFiscale: typeof codiceFiscaleModule.default;
};

export interface FiscalCode {
  code: string;
  temporary: boolean;
}

const omocodiaDigits = 'LMNPQRSTUV';
const monthLetters = 'ABCDEHLMPRST';
// February counts 29 days: the code does not say the century, so a leap year cannot be ruled out.
const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const digitOf = (char: string) =>
  omocodiaDigits.includes(char) ? omocodiaDigits.indexOf(char) : Number(char);

function hasRealBirthDay(code: string): boolean {
  const month = monthLetters.indexOf(code[8]!);
  const encodedDay = digitOf(code[9]!) * 10 + digitOf(code[10]!);
  // Women's codes add 40 to the day.
  const day = encodedDay > 40 ? encodedDay - 40 : encodedDay;
  return month >= 0 && day >= 1 && day <= daysInMonth[month]!;
}

export function temporaryCheckDigit(firstTen: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const digit = Number(firstTen[i]);
    const doubled = digit * 2;
    sum += i % 2 === 0 ? digit : doubled > 9 ? doubled - 9 : doubled;
  }
  return (10 - (sum % 10)) % 10;
}

/** The normalised code (upper case, no surrounding spaces) if valid, else null. */
export function parseFiscalCode(input: string): FiscalCode | null {
  const code = input.trim().toUpperCase();
  if (/^[0-9]{11}$/.test(code)) {
    return temporaryCheckDigit(code) === Number(code[10]) ? { code, temporary: true } : null;
  }
  if (code.length === 16 && CodiceFiscale.check(code) && hasRealBirthDay(code))
    return { code, temporary: false };
  return null;
}
