import type { FlowKind } from './siuss.primitives.js';

/**
 * `id_flusso` (api-comuni.yaml `Flusso.id_flusso`, maxLength 64) and IdentificazioneFlusso@Nome (XSD
 * maxLength 50) share one shape: `EEEEE.TIPO.AAAAMMGG.NNNNNNN` — ente code as INPS's access system knows it
 * (for a Comune its Belfiore code, e.g. `H501`, so "EEEEE" is not literally 5 characters), TIPO `PS` or
 * `SINBA`, the creation date, and a 7-digit daily progressive number.
 */
export interface FlowIdParts {
  enteCode: string;
  kind: FlowKind;
  /** Creation date, YYYY-MM-DD, in the organisation's calendar (Europe/Rome: see `flowIdDate`). */
  date: string;
  /** Daily progressive number, 1–9 999 999. */
  progressive: number;
}

const tipoByKind: Record<FlowKind, string> = { PS_PSA_SINA: 'PS', SINBA: 'SINBA' };
const kindByTipo: Record<string, FlowKind> = { PS: 'PS_PSA_SINA', SINBA: 'SINBA' };

/** 27 characters keep the longest id (`.SINBA.AAAAMMGG.NNNNNNN` is 23) within Nome's 50. */
const entePattern = /^[A-Z0-9]{1,27}$/;
const flowIdPattern = /^([A-Z0-9]{1,27})\.(PS|SINBA)\.([0-9]{4})([0-9]{2})([0-9]{2})\.([0-9]{7})$/;
export const maxProgressive = 9_999_999;

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Builds the id; throws RangeError on parts that could not round-trip. */
export function formatFlowId(parts: FlowIdParts): string {
  if (!entePattern.test(parts.enteCode))
    throw new RangeError('enteCode must be 1–27 upper-case letters or digits');
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(parts.date);
  if (!match || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new RangeError('date must be a calendar date YYYY-MM-DD');
  }
  if (!Number.isInteger(parts.progressive) || parts.progressive < 1 || parts.progressive > maxProgressive) {
    throw new RangeError(`progressive must be an integer from 1 to ${maxProgressive}`);
  }
  const compactDate = `${match[1]}${match[2]}${match[3]}`;
  const progressive = String(parts.progressive).padStart(7, '0');
  return `${parts.enteCode}.${tipoByKind[parts.kind]}.${compactDate}.${progressive}`;
}

/** The inverse of `formatFlowId`; `null` for anything `formatFlowId` could not have produced. */
export function parseFlowId(id: string): FlowIdParts | null {
  const match = flowIdPattern.exec(id);
  if (!match) return null;
  const [, enteCode = '', tipo = '', year = '', month = '', day = '', progressive = ''] = match;
  const kind = kindByTipo[tipo];
  if (!kind || !isCalendarDate(Number(year), Number(month), Number(day)) || Number(progressive) < 1)
    return null;
  return { enteCode, kind, date: `${year}-${month}-${day}`, progressive: Number(progressive) };
}

export function isFlowId(id: string, kind?: FlowKind): boolean {
  const parts = parseFlowId(id);
  return parts !== null && (kind === undefined || parts.kind === kind);
}

/** The calendar date of an instant in Europe/Rome: the day the daily progressive counts within. */
export function flowIdDate(instant: Date, timeZone = 'Europe/Rome'): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}
