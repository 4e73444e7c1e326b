import type { AssignmentRole, StaffRole } from '../../shared/domain.js';
import { AppError, conflict } from '../../shared/errors.js';

/**
 * Rules of assignments that need no database. Case managers and co-workers are social workers — a
 * coordinator is one too, and may manage cases; the educator role is held by educators.
 */
const rolesThatMayHold: Record<AssignmentRole, readonly StaffRole[]> = {
  case_manager: ['social_worker', 'coordinator'],
  co_worker: ['social_worker', 'coordinator'],
  educator: ['educator'],
};

export function mayHold(staffRole: StaffRole, assignmentRole: AssignmentRole): boolean {
  return rolesThatMayHold[assignmentRole].includes(staffRole);
}

/** Clocks of clients and servers differ a little: "now" given by a client may be this far in our past. */
export const clockSkewMs = 5 * 60_000;

/** The database's own rules on assignments (migrations/0001_integrity_rules.sql), as clear 409s. */
const violationMessages: Record<string, string> = {
  one_case_manager_at_a_time:
    'The case already has a case manager for that period. To hand over, send role case_manager with replaceCurrent: true.',
  one_assignment_per_worker_at_a_time: 'This worker already holds an assignment on the case for that period.',
  in_charge_needs_case_manager: 'A case in charge needs exactly one active case manager.',
};

export function explainViolation(error: unknown): AppError | undefined {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const constraint = (e as { constraint?: unknown }).constraint;
    if (typeof constraint === 'string' && violationMessages[constraint])
      return conflict(violationMessages[constraint]);
  }
  return undefined;
}

export const leavesCaseWithoutManager = () =>
  conflict(
    'The case is in charge and would be left without a case manager from the moment this assignment ends. Case managers ' +
      'change by handover: add the successor (role case_manager, replaceCurrent: true) with validFrom at that moment.',
  );

export const onlyTeamCoordinators = () =>
  new AppError('forbidden', "Only a coordinator of the case's team assigns and reassigns its workers.");
