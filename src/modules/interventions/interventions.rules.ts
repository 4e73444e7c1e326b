import type { InterventionStatus } from '../../shared/domain.js';
import { AppError, type InvalidField } from '../../shared/errors.js';
import { toCents } from '../siuss/siuss.decimal.js';

/**
 * The intervention lifecycle (SPEC §3). Each status lists where it may go next:
 *
 *   requested  → waitlisted | active | ended   (ended here = withdrawn or refused before it started)
 *   waitlisted → active | ended                (ended here = withdrawn while waiting)
 *   active     → suspended | ended
 *   suspended  → active | ended
 *   ended      → (nothing: a new need is a new intervention, so SIUSS sees a new benefit)
 *
 * Going back (e.g. active → waitlisted) is refused: the history in intervention_status_changes would stop
 * telling what happened. Suspending or ending needs a reason, kept with the change.
 */
export const interventionTransitions: Record<InterventionStatus, readonly InterventionStatus[]> = {
  requested: ['waitlisted', 'active', 'ended'],
  waitlisted: ['active', 'ended'],
  active: ['suspended', 'ended'],
  suspended: ['active', 'ended'],
  ended: [],
};

/** The statuses an intervention may be recorded in when it is created. */
export const initialInterventionStatuses = ['requested', 'waitlisted', 'active'] as const;

const needsReason: readonly InterventionStatus[] = ['suspended', 'ended'];

export interface StatusChange {
  from: InterventionStatus;
  to: InterventionStatus;
  reason: string | null;
}

/** The change a PATCH asks for, or null when it leaves the status as it is. */
export function statusChangeOf(
  current: InterventionStatus,
  requested: InterventionStatus | undefined,
  reason: string | undefined,
): StatusChange | null {
  if (requested === undefined || requested === current) {
    if (reason !== undefined)
      throw invalidFields([
        { name: 'body/statusReason', reason: 'is only accepted with a change of status' },
      ]);
    return null;
  }
  if (!interventionTransitions[current].includes(requested)) {
    throw new AppError(
      'invalid_transition',
      `An intervention cannot go from '${current}' to '${requested}'.`,
    );
  }
  if (needsReason.includes(requested) && reason === undefined) {
    throw invalidFields([
      { name: 'body/statusReason', reason: `is required to move an intervention to '${requested}'` },
    ]);
  }
  return { from: current, to: requested, reason: reason ?? null };
}

/** The state an intervention would be in after a create or update: what the consistency rules look at. */
export interface InterventionState {
  status: InterventionStatus;
  plannedStart?: string | null;
  plannedEnd?: string | null;
  actualStart?: string | null;
  actualEnd?: string | null;
  monthlyHours?: string | null;
  amountTotal?: string | null;
  amountMonthly?: string | null;
  shareOrganisation?: string | null;
  shareUser?: string | null;
  shareHealthService?: string | null;
  dsuProtocol?: string | null;
  dsuDate?: string | null;
}

const present = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

/**
 * The consistency rules of an intervention, every violation at once (each names its field). Amounts are
 * compared in integer cents: a float would make 0.10 + 0.20 exceed 0.30.
 */
export function interventionRuleViolations(
  state: InterventionState,
  service: { periodic: boolean },
): InvalidField[] {
  const problems: InvalidField[] = [];
  const add = (name: keyof InterventionState, reason: string) =>
    problems.push({ name: `body/${name}`, reason });

  for (const [start, end] of [
    ['plannedStart', 'plannedEnd'],
    ['actualStart', 'actualEnd'],
  ] as const) {
    const from = state[start];
    const to = state[end];
    if (present(to) && !present(from)) add(start, `is required when ${end} is given`);
    if (present(to) && present(from) && to < from) add(end, `must not be before ${start}`);
  }
  if ((state.status === 'active' || state.status === 'suspended') && !present(state.actualStart)) {
    add('actualStart', 'is required once the intervention is active');
  }

  const shares = [state.shareOrganisation, state.shareUser, state.shareHealthService].filter(present);
  if (shares.length > 0 && !present(state.amountTotal))
    add('amountTotal', 'is required when a share is given');
  if (shares.length > 0 && present(state.amountTotal)) {
    const sum = shares.reduce((total, share) => total + toCents(share), 0n);
    if (sum > toCents(state.amountTotal))
      add('amountTotal', 'is less than shareOrganisation + shareUser + shareHealthService');
  }

  if (service.periodic && !present(state.plannedStart))
    add('plannedStart', 'is required for a periodic service');
  if (!service.periodic) {
    if (present(state.amountMonthly)) add('amountMonthly', 'is not allowed for a one-off service');
    if (present(state.monthlyHours)) add('monthlyHours', 'is not allowed for a one-off service');
  }

  // SIUSS takes the DSU protocol and its date together or not at all.
  if (present(state.dsuProtocol) && !present(state.dsuDate)) add('dsuDate', 'is required with dsuProtocol');
  if (present(state.dsuDate) && !present(state.dsuProtocol)) add('dsuProtocol', 'is required with dsuDate');
  return problems;
}

export function invalidFields(problems: InvalidField[]): AppError {
  return new AppError('validation_failed', problems.map((p) => `${p.name}: ${p.reason}`).join('; '), {
    invalidParams: problems,
  });
}

export function assertConsistent(state: InterventionState, service: { periodic: boolean }): void {
  const problems = interventionRuleViolations(state, service);
  if (problems.length > 0) throw invalidFields(problems);
}
