import { pgEnum } from 'drizzle-orm/pg-core';
import * as d from '../../shared/domain.js';

export const roleEnum = pgEnum('role', d.roles);
export const staffProfileEnum = pgEnum('staff_profile', d.staffProfiles);
export const contractTypeEnum = pgEnum('contract_type', d.contractTypes);
export const userAreaEnum = pgEnum('user_area', d.userAreas);
export const caseStatusEnum = pgEnum('case_status', d.caseStatuses);
export const closureReasonEnum = pgEnum('closure_reason', d.closureReasons);
export const assignmentRoleEnum = pgEnum('assignment_role', d.assignmentRoles);
export const noteKindEnum = pgEnum('note_kind', d.noteKinds);
export const noteConfidentialityEnum = pgEnum('note_confidentiality', d.noteConfidentialities);
export const planStatusEnum = pgEnum('plan_status', d.planStatuses);
export const interventionStatusEnum = pgEnum('intervention_status', d.interventionStatuses);
export const sexEnum = pgEnum('sex', d.sexes);
