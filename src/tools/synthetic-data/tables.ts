import { TableRows } from './copy.js';

/**
 * The tables the generator fills, in foreign-key order (parents first): a chunk is copied in this order
 * inside one transaction, so the database's own rules hold at commit even when they are checked.
 */
export function createTables() {
  return {
    organisations: new TableRows('organisations', ['id', 'name', 'belfiore_code', 'istat_code', 'created_at', 'updated_at']),
    organisationPopulations: new TableRows('organisation_populations', ['organisation_id', 'year', 'residents']),
    teams: new TableRows('teams', ['id', 'organisation_id', 'name', 'area', 'created_at', 'updated_at']),
    staff: new TableRows('staff', ['id', 'organisation_id', 'subject', 'given_name', 'family_name', 'role', 'profile', 'fte', 'contract', 'active', 'created_at', 'updated_at']),
    staffTeams: new TableRows('staff_teams', ['staff_id', 'team_id']),
    offices: new TableRows('offices', ['id', 'organisation_id', 'name', 'address', 'opening_hours', 'phone', 'email', 'accessibility_notes', 'created_at', 'updated_at']),
    services: new TableRows('services', ['id', 'organisation_id', 'name', 'description', 'eligibility', 'how_to_apply', 'office_id', 'user_areas', 'siuss_code', 'periodic', 'means_test_type', 'created_at', 'updated_at']),
    citizens: new TableRows('citizens', ['id', 'organisation_id', 'fiscal_code', 'fiscal_code_temporary', 'given_name', 'family_name', 'sex', 'birth_date', 'birth_place', 'citizenship', 'residence', 'contacts', 'created_at', 'updated_at']),
    cases: new TableRows('cases', ['id', 'organisation_id', 'citizen_id', 'team_id', 'user_area', 'siuss_area', 'referral_source', 'referral_date', 'complexity', 'judicial_measure', 'status', 'closure_reason', 'taken_in_charge_at', 'closed_at', 'created_by', 'created_at', 'updated_at', 'version']),
    caseStatusChanges: new TableRows('case_status_changes', ['id', 'case_id', 'from_status', 'to_status', 'closure_reason', 'changed_by', 'changed_at']),
    assignments: new TableRows('assignments', ['id', 'organisation_id', 'case_id', 'staff_id', 'role', 'valid_from', 'valid_to', 'reason', 'end_reason', 'created_by', 'case_created_at', 'created_at', 'updated_at', 'version']),
    assessments: new TableRows('assessments', ['id', 'organisation_id', 'case_id', 'assessed_on', 'instrument', 'source', 'text', 'author_id', 'created_at']),
    plans: new TableRows('plans', ['id', 'organisation_id', 'case_id', 'goals', 'start_date', 'review_due_date', 'responsible_staff_id', 'status', 'created_by', 'created_at', 'updated_at', 'version']),
    notes: new TableRows('notes', ['id', 'organisation_id', 'case_id', 'kind', 'occurred_at', 'author_id', 'confidentiality', 'current_version', 'created_at']),
    noteVersions: new TableRows('note_versions', ['note_id', 'version', 'text', 'reason', 'author_id', 'created_at']),
    interventions: new TableRows('interventions', ['id', 'organisation_id', 'case_id', 'service_id', 'status', 'planned_start', 'planned_end', 'actual_start', 'actual_end', 'provider', 'monthly_hours', 'amount_total', 'amount_monthly', 'share_organisation', 'share_user', 'share_health_service', 'isee_threshold', 'dsu_protocol', 'dsu_date', 'created_by', 'created_at', 'updated_at', 'version']),
    interventionStatusChanges: new TableRows('intervention_status_changes', ['id', 'intervention_id', 'from_status', 'to_status', 'reason', 'changed_by', 'changed_at']),
  };
}

export type Tables = ReturnType<typeof createTables>;
