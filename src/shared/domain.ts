/** Code lists of the record (SPEC §1, §3). One place, used by the database enums and the API schemas. */
export const staffRoles = ['social_worker', 'educator', 'coordinator', 'director', 'admin', 'auditor', 'elected_official', 'platform_admin'] as const;
export const clientRoles = ['regional', 'siuss'] as const;
export const roles = [...staffRoles, ...clientRoles] as const;
export type StaffRole = (typeof staffRoles)[number];
export type ClientRole = (typeof clientRoles)[number];
export type Role = (typeof roles)[number];

export const staffProfiles = ['social_worker', 'educator', 'administrative', 'psychologist', 'other'] as const;
export const contractTypes = ['permanent', 'fixed_term', 'agency', 'other'] as const;

/** ISTAT user areas of municipal social services. */
export const userAreas = ['family_minors', 'disability', 'addiction', 'elderly', 'immigrants', 'poverty_adults', 'multi_user'] as const;
export type UserArea = (typeof userAreas)[number];
/** SIUSS areas: 1 famiglia e minori, 2 disabilità e non autosufficienza, 3 povertà ed esclusione sociale. */
export const siussAreas = [1, 2, 3] as const;

export const caseStatuses = ['referred', 'open', 'in_charge', 'closed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];
export const closureReasons = ['goals_achieved', 'transferred', 'moved_away', 'deceased', 'withdrawn', 'no_longer_eligible', 'no_contact', 'other'] as const;

export const assignmentRoles = ['case_manager', 'co_worker', 'educator'] as const;
export type AssignmentRole = (typeof assignmentRoles)[number];

export const noteKinds = ['interview', 'home_visit', 'phone_call', 'team_meeting', 'report', 'other'] as const;
export const noteConfidentialities = ['team', 'restricted'] as const;

export const planStatuses = ['draft', 'active', 'completed', 'cancelled'] as const;

export const interventionStatuses = ['requested', 'waitlisted', 'active', 'suspended', 'ended'] as const;
export type InterventionStatus = (typeof interventionStatuses)[number];

export const sexes = ['M', 'F'] as const;
