import fc from 'fast-check';

/**
 * An independent construction of codici fiscali for tests (D.M. 23/12/1976 tables), so that the service's
 * validator is checked against the rule itself rather than against the library it uses.
 */
const oddValues = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];
const indexOf = (char: string) => (char >= 'A' ? char.charCodeAt(0) - 65 : char.charCodeAt(0) - 48);

export function checkCharacter(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    // Positions are counted from 1: odd positions (index 0, 2, …) use the odd table.
    sum += i % 2 === 0 ? oddValues[indexOf(first15[i]!)]! : indexOf(first15[i]!);
  }
  return String.fromCharCode(65 + (sum % 26));
}

export function temporaryCode(firstTen: string): string {
  const digits = [...firstTen].map(Number);
  const odd = digits.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0);
  const even = digits
    .filter((_, i) => i % 2 === 1)
    .reduce((a, d) => a + Math.floor((2 * d) / 10) + ((2 * d) % 10), 0);
  return firstTen + String((10 - ((odd + even) % 10)) % 10);
}

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const months = 'ABCDEHLMPRST';
const omocodia = 'LMNPQRSTUV';
const numericPositions = [6, 7, 9, 10, 12, 13, 14];
const pad = (n: number, width: number) => String(n).padStart(width, '0');

export interface CodeParts {
  surname: string;
  name: string;
  year: number;
  month: number;
  day: number;
  female: boolean;
  place: string;
  omocodic: number[];
}

export function fiscalCodeOf(p: CodeParts): string {
  let body = `${p.surname}${p.name}${pad(p.year, 2)}${months[p.month]}${pad(p.day + (p.female ? 40 : 0), 2)}${p.place}`;
  for (const position of p.omocodic)
    body = body.slice(0, position) + omocodia[Number(body[position])] + body.slice(position + 1);
  return body + checkCharacter(body);
}

const letter = fc.constantFrom(...letters);
const threeLetters = fc.tuple(letter, letter, letter).map((l) => l.join(''));

export const codeParts: fc.Arbitrary<CodeParts> = fc.record({
  surname: threeLetters,
  name: threeLetters,
  year: fc.integer({ min: 0, max: 99 }),
  month: fc.integer({ min: 0, max: 11 }),
  day: fc.integer({ min: 1, max: 28 }),
  female: fc.boolean(),
  place: fc.tuple(letter, fc.integer({ min: 0, max: 999 })).map(([l, n]) => `${l}${pad(n, 3)}`),
  omocodic: fc.subarray(numericPositions),
});

export const validFiscalCode = codeParts.map(fiscalCodeOf);
export const validTemporaryCode = fc.stringMatching(/^[0-9]{10}$/).map(temporaryCode);

let sequence = 0;
/** A fresh valid code for each call (tests that create citizens need unique ones). */
export function freshFiscalCode(female = false): string {
  const n = ++sequence + Math.floor(Math.random() * 100_000) * 1000;
  const surname = [0, 1, 2].map((i) => letters[Math.floor(n / 26 ** i) % 26]).join('');
  return fiscalCodeOf({
    surname,
    name: 'MRA',
    year: 80 + (n % 20),
    month: n % 12,
    day: 1 + (n % 28),
    female,
    place: 'F205',
    omocodic: [],
  });
}
