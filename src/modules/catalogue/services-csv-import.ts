import { parse } from 'csv-parse/sync';
import type { Database } from '../../platform/database.js';
import { AppError, notFound, type InvalidField } from '../../shared/errors.js';
import * as repository from './catalogue.repository.js';
import { createServiceBody, type CreateServiceInput } from './catalogue.schemas.js';

/**
 * Bulk import of the service catalogue from a spreadsheet, for the command line.
 *
 * CSV layout: UTF-8 (a BOM is fine), comma- or semicolon-separated (Italian spreadsheets export `;`), one
 * header row with these column names, in any order:
 *
 * | column            | required | content                                                                      |
 * | ----------------- | -------- | ---------------------------------------------------------------------------- |
 * | `name`            | yes      | the service's name; a service of the organisation with the same name        |
 * |                   |          | (ignoring case) is updated, otherwise a new one is created                   |
 * | `description`     | yes      | what the service is                                                          |
 * | `eligibility`     | no       | who may receive it                                                           |
 * | `how_to_apply`    | no       | how a citizen applies                                                        |
 * | `office`          | no       | the name of an existing office of the organisation that provides it          |
 * | `user_areas`      | no       | user-area codes separated by `\|`, e.g. `elderly\|disability`                |
 * | `siuss_code`      | yes      | SIUSS benefit code as the organisation uses it, e.g. `A1.01` or `A1.01.02`   |
 * | `periodic`        | yes      | `true`/`false` (also `yes`/`no`, `sì`/`no`, `1`/`0`): periodic or one-off    |
 * | `means_test_type` | yes      | 1 ISEE, 2 other means test, 3 ISEE waived for the person, 4 no means test    |
 *
 * All or nothing: every row is checked with the same rules as `POST /v1/services`, and if any row is wrong
 * nothing is written and the error lists each problem as `row <line>/<column>`.
 */
export const serviceCsvColumns = [
  'name',
  'description',
  'eligibility',
  'how_to_apply',
  'office',
  'user_areas',
  'siuss_code',
  'periodic',
  'means_test_type',
] as const;
type Column = (typeof serviceCsvColumns)[number];
const requiredColumns: Column[] = ['name', 'description', 'siuss_code', 'periodic', 'means_test_type'];

const columnOfField: Record<keyof CreateServiceInput, Column> = {
  name: 'name',
  description: 'description',
  eligibility: 'eligibility',
  howToApply: 'how_to_apply',
  officeId: 'office',
  userAreas: 'user_areas',
  siussCode: 'siuss_code',
  periodic: 'periodic',
  meansTestType: 'means_test_type',
};

const booleanWords: Record<string, boolean> = {
  true: true,
  yes: true,
  sì: true,
  si: true,
  '1': true,
  false: false,
  no: false,
  '0': false,
};

export interface ServicesCsvImportResult {
  created: number;
  updated: number;
}

function readRecords(csvText: string): { record: Record<string, string>; line: number }[] {
  try {
    const rows = parse(csvText, {
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      delimiter: [',', ';'],
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as {
      record: Record<string, string>;
      info: { lines: number };
    }[];
    return rows.map((r) => ({ record: r.record, line: r.info.lines }));
  } catch (error) {
    throw new AppError(
      'validation_failed',
      `The CSV could not be read: ${(error as { code?: string }).code ?? 'malformed'}.`,
    );
  }
}

function checkHeader(columns: string[]): void {
  const unknown = columns.filter((c) => !(serviceCsvColumns as readonly string[]).includes(c));
  const missing = requiredColumns.filter((c) => !columns.includes(c));
  const problems: InvalidField[] = [
    ...unknown.map((c) => ({ name: `header/${c}`, reason: 'is not a known column' })),
    ...missing.map((c) => ({ name: `header/${c}`, reason: 'is required' })),
  ];
  if (problems.length > 0)
    throw new AppError('validation_failed', 'The CSV header is not valid.', { invalidParams: problems });
}

/** One CSV record → the body `POST /v1/services` would take; cells that cannot be read stay as given so the schema names them. */
function toBody(
  record: Record<string, string>,
  officeIds: Map<string, string>,
  problems: InvalidField[],
  line: number,
): unknown {
  const cell = (column: Column) => (record[column] ?? '') || undefined;
  const office = cell('office');
  const officeId = office === undefined ? undefined : officeIds.get(office.toLowerCase());
  if (office !== undefined && officeId === undefined)
    problems.push({ name: `row ${line}/office`, reason: 'names no office of this organisation' });
  const periodic = cell('periodic');
  const meansTest = cell('means_test_type');
  return {
    name: cell('name'),
    description: cell('description'),
    eligibility: cell('eligibility'),
    howToApply: cell('how_to_apply'),
    officeId,
    userAreas:
      cell('user_areas')
        ?.split('|')
        .map((a) => a.trim()) ?? [],
    siussCode: cell('siuss_code'),
    periodic: periodic === undefined ? undefined : (booleanWords[periodic.toLowerCase()] ?? periodic),
    meansTestType: meansTest !== undefined && /^[0-9]+$/.test(meansTest) ? Number(meansTest) : meansTest,
  };
}

function parseRows(csvText: string, officeIds: Map<string, string>): CreateServiceInput[] {
  const records = readRecords(csvText);
  if (records.length > 0) checkHeader(Object.keys(records[0]!.record));
  const problems: InvalidField[] = [];
  const seen = new Set<string>();
  const rows: CreateServiceInput[] = [];
  for (const { record, line } of records) {
    const parsed = createServiceBody.safeParse(toBody(record, officeIds, problems, line));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = columnOfField[issue.path[0] as keyof CreateServiceInput] ?? issue.path.join('.');
        problems.push({ name: `row ${line}/${column}`, reason: issue.message });
      }
      continue;
    }
    const key = parsed.data.name.toLowerCase();
    if (seen.has(key))
      problems.push({ name: `row ${line}/name`, reason: 'repeats a service named earlier in the file' });
    seen.add(key);
    rows.push(parsed.data);
  }
  if (problems.length > 0) {
    throw new AppError(
      'validation_failed',
      `${problems.length} problem(s) in the CSV; nothing was imported.`,
      { invalidParams: problems },
    );
  }
  return rows;
}

export async function importServicesCsv(
  db: Database,
  organisationId: string,
  csvText: string,
): Promise<ServicesCsvImportResult> {
  if (!(await repository.organisationExists(db, organisationId))) throw notFound('organisation');
  return db.transaction(async (tx) => {
    const rows = parseRows(csvText, await repository.findOfficesByName(tx, organisationId));
    const existing = await repository.findServicesByName(tx, organisationId);
    const result: ServicesCsvImportResult = { created: 0, updated: 0 };
    for (const values of rows) {
      const current = existing.get(values.name.toLowerCase());
      if (!current) {
        await repository.insertService(tx, { ...values, organisationId });
        result.created++;
      } else {
        // The row is the whole service: an empty optional cell clears what was there.
        const replacement = {
          ...values,
          eligibility: values.eligibility ?? null,
          howToApply: values.howToApply ?? null,
          officeId: values.officeId ?? null,
        };
        if (!(await repository.updateService(tx, organisationId, current.id, current.version, replacement))) {
          throw new AppError(
            'conflict',
            'A service changed while the CSV was being imported; run the import again.',
          );
        }
        result.updated++;
      }
    }
    return result;
  });
}
