import { z } from 'zod';
import { interventionStatuses } from '../../shared/domain.js';
import { pageQuery, pageOf } from '../../shared/pagination.js';
import { decimalString, isoDate, nonEmpty, timestampOut, uuid } from '../../shared/schemas.js';
import { initialInterventionStatuses } from './interventions.rules.js';

/**
 * Interventions (interventi / prestazioni) on a case. Amounts and hours are decimal strings end to end
 * (numeric in PostgreSQL): "0.10" stays "0.10", never 0.1 as a binary float.
 */
const money = decimalString(2);
/** numeric(6,2): below 10,000 hours. */
const hours = z
  .string()
  .regex(
    /^(0|[1-9][0-9]{0,3})(\.[0-9]{1,2})?$/,
    'must be a number of hours below 10000 with at most 2 decimals',
  );
/** A calendar date; PostgreSQL has no year 0 and a social record nothing before 1900. */
const day = isoDate.pipe(z.string().refine((d) => d >= '1900-01-01', 'must not be before 1900-01-01'));
/** NumeroProtocolloDSU of the SIUSS flows: at most 30 characters. */
const dsuProtocol = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9./-]{0,29}$/,
    'must be a DSU protocol number (letters, digits, . / -; at most 30)',
  );

const editableFields = z.object({
  plannedStart: day,
  plannedEnd: day,
  actualStart: day,
  actualEnd: day,
  /** Who delivers it (a cooperative, an accredited agency…): an organisation, not a person. */
  provider: nonEmpty(200),
  monthlyHours: hours,
  amountTotal: money,
  amountMonthly: money,
  shareOrganisation: money,
  shareUser: money,
  shareHealthService: money,
  iseeThreshold: money,
  dsuProtocol,
  dsuDate: day,
});
type EditableShape = typeof editableFields.shape;

export const createInterventionBody = editableFields.partial().extend({
  serviceId: uuid,
  status: z.enum(initialInterventionStatuses),
});

/** In a PATCH every field may be cleared with null; `status` moves the lifecycle, `statusReason` says why. */
const clearableFields = Object.fromEntries(
  Object.entries(editableFields.shape).map(([name, schema]) => [name, schema.nullable().optional()]),
) as {
  [K in keyof EditableShape]: z.ZodOptional<z.ZodNullable<EditableShape[K]>>;
};
export const updateInterventionBody = z.object({
  ...clearableFields,
  status: z.enum(interventionStatuses).optional(),
  statusReason: nonEmpty(1000).optional(),
});

export const interventionListQuery = pageQuery.extend({ status: z.enum(interventionStatuses).optional() });

const decimalOut = decimalString(2).nullable();

/** Exported so that other modules (SIUSS outcomes) can extend the representation. */
export const intervention = z
  .object({
    id: uuid,
    caseId: uuid,
    serviceId: uuid,
    serviceName: z.string(),
    siussCode: z.string(),
    periodic: z.boolean(),
    status: z.enum(interventionStatuses),
    plannedStart: isoDate.nullable(),
    plannedEnd: isoDate.nullable(),
    actualStart: isoDate.nullable(),
    actualEnd: isoDate.nullable(),
    provider: z.string().nullable(),
    monthlyHours: decimalOut,
    amountTotal: decimalOut,
    amountMonthly: decimalOut,
    shareOrganisation: decimalOut,
    shareUser: decimalOut,
    shareHealthService: decimalOut,
    iseeThreshold: decimalOut,
    dsuProtocol: z.string().nullable(),
    dsuDate: isoDate.nullable(),
    createdBy: uuid,
    createdAt: timestampOut,
    updatedAt: timestampOut,
    version: z.number().int(),
  })
  .meta({ id: 'Intervention' });
export const interventionPage = pageOf(intervention).meta({ id: 'InterventionPage' });

export const interventionStatusChange = z
  .object({
    id: uuid,
    fromStatus: z.enum(interventionStatuses).nullable(),
    toStatus: z.enum(interventionStatuses),
    reason: z.string().nullable(),
    changedBy: uuid,
    changedAt: timestampOut,
  })
  .meta({ id: 'InterventionStatusChange' });
export const interventionStatusChangeList = z
  .object({ items: z.array(interventionStatusChange) })
  .meta({ id: 'InterventionStatusChangeList' });

export type CreateInterventionInput = z.infer<typeof createInterventionBody>;
export type UpdateInterventionInput = z.infer<typeof updateInterventionBody>;
