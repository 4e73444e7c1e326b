import type { Role } from '../shared/domain.js';

/**
 * The one role → permission map (SPEC §1). Every route declares one of these (or `public` /
 * `authenticated`); the access gate refuses with 403 when the caller's role lacks it. Whether the caller may
 * touch a particular case is the scope check's job (src/access/case-scope.ts), which answers 404.
 */
const caseWorkers = ['social_worker', 'coordinator'] as const;
const caseReaders = ['social_worker', 'educator', 'coordinator', 'director'] as const;
const allStaff = ['social_worker', 'educator', 'coordinator', 'director', 'admin', 'auditor', 'elected_official'] as const;

export const permissionRoles = {
  'organisation:create': ['platform_admin'],
  'organisation:read': ['platform_admin', ...allStaff],
  'organisation:manage': ['platform_admin', 'admin'],
  'team:manage': ['admin', 'director'],
  'team:read': ['admin', 'director', 'coordinator', 'social_worker', 'educator'],
  'staff:manage': ['platform_admin', 'admin'],
  'staff:read': ['platform_admin', 'admin', 'director', 'coordinator', 'social_worker'],
  'api_client:manage': ['platform_admin', 'admin'],
  'citizen:create': caseWorkers,
  'citizen:read': caseReaders,
  'citizen:update': ['social_worker', 'coordinator', 'educator'],
  'citizen:search': ['social_worker', 'coordinator', 'director'],
  'citizen:access_log': ['auditor'],
  'household:write': caseWorkers,
  'household:read': caseReaders,
  'case:create': caseWorkers,
  'case:read': caseReaders,
  'case:update': caseWorkers,
  'case:change_status': caseWorkers,
  'case:seal': ['director'],
  'note:write': ['social_worker', 'educator', 'coordinator'],
  'note:read': caseReaders,
  'assessment:write': ['social_worker', 'educator', 'coordinator'],
  'assessment:read': caseReaders,
  'plan:write': caseWorkers,
  'plan:read': caseReaders,
  'intervention:write': caseWorkers,
  'intervention:read': caseReaders,
  'assignment:write': ['coordinator'],
  'assignment:read': caseReaders,
  'emergency_grant:create': caseWorkers,
  'emergency_grant:review': ['coordinator', 'director'],
  'catalogue:manage': ['admin'],
  'catalogue:read': allStaff,
  'audit:read': ['auditor'],
  'metrics:read': ['social_worker', 'educator', 'coordinator', 'director', 'elected_official'],
  'indicators:read': ['regional', 'director', 'elected_official'],
  'siuss:feed': ['siuss'],
  'siuss:rejections:read': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionRoles;
/** What a route may declare instead of a permission: no token at all, or any valid caller. */
export type RouteAccess = Permission | 'public' | 'authenticated';

const grants = new Map<Role, Set<Permission>>();
for (const [permission, allowed] of Object.entries(permissionRoles) as [Permission, readonly Role[]][]) {
  for (const role of allowed) {
    if (!grants.has(role)) grants.set(role, new Set());
    grants.get(role)!.add(permission);
  }
}

export function roleHas(role: Role, permission: Permission): boolean {
  return grants.get(role)?.has(permission) ?? false;
}

export function permissionsOf(role: Role): Permission[] {
  return [...(grants.get(role) ?? [])].sort();
}

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(permissionRoles, value);
}
