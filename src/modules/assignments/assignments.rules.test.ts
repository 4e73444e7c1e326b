import { describe, expect, it } from 'vitest';
import { staffRoles } from '../../shared/domain.js';
import { explainViolation, mayHold } from './assignments.rules.js';

describe('assignment rules', () => {
  it('case managers and co-workers are social workers or coordinators; educators are educators', () => {
    const holders = (role: 'case_manager' | 'co_worker' | 'educator') =>
      staffRoles.filter((r) => mayHold(r, role));
    expect(holders('case_manager')).toEqual(['social_worker', 'coordinator']);
    expect(holders('co_worker')).toEqual(['social_worker', 'coordinator']);
    expect(holders('educator')).toEqual(['educator']);
  });

  it('explains the database’s assignment rules wherever they sit in the cause chain, and nothing else', () => {
    const wrapped = (constraint: string) => ({
      message: 'query failed',
      cause: { code: '23P01', constraint },
    });
    expect(explainViolation(wrapped('one_case_manager_at_a_time'))).toMatchObject({
      code: 'conflict',
      status: 409,
      detail: expect.stringMatching(/replaceCurrent/),
    });
    expect(explainViolation(wrapped('one_assignment_per_worker_at_a_time'))?.detail).toMatch(
      /already holds an assignment/,
    );
    expect(
      explainViolation({ cause: { cause: { code: '23514', constraint: 'in_charge_needs_case_manager' } } })
        ?.detail,
    ).toMatch(/exactly one active case manager/);
    expect(explainViolation(wrapped('assignments_case_id_cases_id_fk'))).toBeUndefined();
    expect(explainViolation(new Error('boom'))).toBeUndefined();
  });
});
