import { cases, citizens, interventions, services } from '../../src/db/schema/index.js';
import { ageBandOf } from '../../src/modules/indicators/indicators.grid.js';
import type { Database } from '../../src/platform/database.js';
import { userAreas, type UserArea } from '../../src/shared/domain.js';
import { checkCharacter } from '../citizens/fiscal-codes.js';
import type { OrgWorld } from '../helpers/world.js';

/**
 * A small deployment's records for the indicators, written straight to the tables, and the same records as
 * plain objects for the reference computation (a JavaScript group-by, independent of the service's SQL).
 * Deterministic: a seeded generator. Realistic identifiers (codici fiscali with a valid check character,
 * street addresses, full birth and referral dates) so that a leak would show in the responses.
 */
export interface FixtureRecord {
  /** `YYYY-MM-DD` the record is counted at: referral date of a case, actual start of an intervention. */
  date: string;
  values: {
    userArea: UserArea;
    siussArea: string;
    siussCode?: string;
    ageBand: string;
    sex: 'M' | 'F';
    municipality: string;
  };
}

export interface Fixture {
  cases: FixtureRecord[];
  interventions: FixtureRecord[];
}

function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(values: readonly T[], skew = 1): T => values[Math.floor(next() ** skew * values.length)]!;
  return { next, int, pick };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Residence as entered: mostly the organisation's own comune, a few others, free text and none. */
const residences = [
  { municipality: 'F205' },
  { municipality: 'F205' },
  { municipality: 'F205' },
  { municipality: 'H501' },
  { municipality: 'L219' },
  { municipality: 'via Garibaldi 12' },
  null,
] as const;

export async function seedIndicatorFixture(
  db: Database,
  org: OrgWorld,
  options: { seed: number; cases: Record<number, number>; interventions: Record<number, number> },
): Promise<Fixture> {
  const random = generator(options.seed);
  const createdBy = org.staff.socialWorker.id;
  const fixture: Fixture = { cases: [], interventions: [] };

  const catalogue = await db
    .insert(services)
    .values(
      ['A1.01', 'B2.03', 'C1.02.01'].map((siussCode, i) => ({
        organisationId: org.id,
        name: `Servizio ${i}`,
        description: 'Servizio di prova',
        siussCode,
        periodic: i !== 1,
      })),
    )
    .returning({ id: services.id, siussCode: services.siussCode });

  const people = Object.entries(options.cases).flatMap(([year, n]) =>
    Array.from({ length: n }, () => {
      const referralDate = `${year}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`;
      // Ages 0–95, more children and elderly people than adults in between.
      const birthYear =
        Number(year) - random.pick([1, 3, 5, 8, 12, 15, 17, 20, 30, 40, 50, 60, 70, 78, 82, 88, 95], 1.3);
      return {
        referralDate,
        birthDate: `${birthYear}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`,
        sex: random.pick(['M', 'F'] as const),
        userArea: random.pick(userAreas, 1.5),
        siussArea: random.int(1, 3),
        residence: random.pick(residences),
      };
    }),
  );
  const caseRows: Array<{ id: string; record: FixtureRecord; birthDate: string }> = [];
  for (let from = 0; from < people.length; from += 500) {
    const batch = people.slice(from, from + 500);
    const citizenRows = await db
      .insert(citizens)
      .values(
        batch.map((person, j) => {
          const i = from + j;
          // Unique per citizen: the name part spells i in base 26.
          const name = [26 * 26, 26, 1]
            .map((unit) => String.fromCharCode(65 + (Math.floor(i / unit) % 26)))
            .join('');
          const { birthDate, sex } = person;
          const day = Number(birthDate.slice(8)) + (sex === 'F' ? 40 : 0);
          const first15 = `RSS${name}${birthDate.slice(2, 4)}${'ABCDEHLMPRST'[Number(birthDate.slice(5, 7)) - 1]}${pad(day)}F205`;
          return {
            organisationId: org.id,
            fiscalCode: first15 + checkCharacter(first15),
            givenName: 'Giulia',
            familyName: `ROSSI${i}`,
            sex,
            birthDate,
            birthPlace: 'F205',
            citizenship: '100',
            residence: person.residence
              ? { ...person.residence, street: `Via Verdi ${i}`, postalCode: '20100' }
              : null,
          };
        }),
      )
      .returning({ id: citizens.id });
    const rows = await db
      .insert(cases)
      .values(
        batch.map((person, j) => ({
          organisationId: org.id,
          citizenId: citizenRows[j]!.id,
          teamId: org.teams.minori,
          userArea: person.userArea,
          siussArea: person.siussArea,
          referralSource: 'school',
          referralDate: person.referralDate,
          complexity: 2,
          judicialMeasure: j % 10 === 0,
          status: 'referred' as const,
          createdBy,
        })),
      )
      .returning({ id: cases.id });
    batch.forEach((person, j) => {
      const municipality =
        person.residence && /^[A-Z][0-9]{3}$/.test(person.residence.municipality)
          ? person.residence.municipality
          : 'unknown';
      const record: FixtureRecord = {
        date: person.referralDate,
        values: {
          userArea: person.userArea,
          siussArea: String(person.siussArea),
          ageBand: ageBandOf(person.birthDate, person.referralDate),
          sex: person.sex,
          municipality,
        },
      };
      fixture.cases.push(record);
      caseRows.push({ id: rows[j]!.id, record, birthDate: person.birthDate });
    });
  }

  const planned = Object.entries(options.interventions).flatMap(([year, n]) =>
    Array.from({ length: n }, () => {
      const target = random.pick(caseRows);
      const actualStart = `${year}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`;
      return { target, service: random.pick(catalogue, 1.5), started: random.next() < 0.85, actualStart };
    }),
  );
  for (let from = 0; from < planned.length; from += 500) {
    await db.insert(interventions).values(
      planned.slice(from, from + 500).map(({ target, service, started, actualStart }) => ({
        organisationId: org.id,
        caseId: target.id,
        serviceId: service.id,
        status: started ? ('active' as const) : ('requested' as const),
        plannedStart: actualStart,
        actualStart: started ? actualStart : null,
        amountTotal: '1200.00',
        createdBy,
      })),
    );
  }
  for (const { target, service, started, actualStart } of planned) {
    if (!started) continue;
    fixture.interventions.push({
      date: actualStart,
      values: {
        ...target.record.values,
        siussCode: service.siussCode,
        // A start before birth (a prenatal referral) counts as age 0, as in the service.
        ageBand: actualStart >= target.birthDate ? ageBandOf(target.birthDate, actualStart) : '0-2',
      },
    });
  }
  return fixture;
}

/** The world's own case (test/helpers/world.ts: referred 2026-01-10, a man born in 1980 living in F205). */
export const worldCase: FixtureRecord = {
  date: '2026-01-10',
  values: { userArea: 'family_minors', siussArea: '1', ageBand: '45-54', sex: 'M', municipality: 'F205' },
};

/** The reference count of a cell or margin: records in the period with every given dimension value. */
export function referenceCount(
  records: readonly FixtureRecord[],
  period: string,
  key: Partial<Record<string, string | null>>,
): number {
  return records.filter(
    (record) =>
      inPeriod(record.date, period) &&
      Object.entries(key).every(
        ([dimension, value]) =>
          value === null || record.values[dimension as keyof FixtureRecord['values']] === value,
      ),
  ).length;
}

function inPeriod(date: string, period: string): boolean {
  const [year, part] = period.split('-');
  if (!date.startsWith(year!)) return false;
  if (part === undefined) return true;
  const month = Number(date.slice(5, 7));
  return part.startsWith('Q') ? Math.ceil(month / 3) === Number(part.slice(1)) : month === Number(part);
}
