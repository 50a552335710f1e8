/**
 * Who may do what, where. Deny by default: a permission not granted by some role of the principal, in the area the
 * resource lies in, is refused. Kept pure so the same rules serve the API, the CLI and later the UI.
 */
import { NotAllowedError } from './errors.js';
import type { Role, RoleGrant } from './plant-config.js';

export const PERMISSIONS = [
  'plant:read',
  'events:read',
  'events:write',
  'samples:read',
  'samples:write',
  'deadletters:read',
  'deadletters:replay',
  'crosswalk:write',
  'metrics:read',
  'users:admin',
  'cases:read',
  'cases:write',
  'cases:close',
  'audit:read',
  'audit:verify',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = ['plant:read', 'events:read', 'samples:read'];
/** Everyone may read and comment on the cases of their areas; who may move a case is decided by ownership (docs/cases.md). */
const CASES: Permission[] = ['cases:read', 'cases:write'];
/**
 * The ledger spans every area (logins, tokens, cases everywhere), so reading it needs a plant-wide ('*') grant that
 * carries audit:read; an area supervisor or quality lead is refused (docs/api.md).
 */
const AUDIT: Permission[] = ['audit:read'];

/** What each role may do. Areas limit where; this table limits what. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  operator: [...READ, 'events:write', ...CASES],
  supervisor: [...READ, 'events:write', 'deadletters:read', 'metrics:read', ...CASES, 'cases:close', ...AUDIT],
  quality: [...READ, 'events:write', ...CASES, 'cases:close', ...AUDIT],
  maintenance: [...READ, 'events:write', ...CASES, 'cases:close'],
  planner: [...READ, 'events:write', ...CASES],
  engineer: [...READ, 'events:write', 'samples:write', 'deadletters:read', 'deadletters:replay', 'crosswalk:write', 'metrics:read', ...CASES, 'cases:close'],
  admin: [...PERMISSIONS],
};

/** The whole plant, in a grant's `areas`. */
export const ALL_AREAS = '*';

export interface Principal {
  /** The user id (a machine identity is a user without a password). */
  userId: string;
  name: string;
  grants: RoleGrant[];
  /** How the caller proved who it is. */
  via: 'session' | 'token' | 'local';
}

/**
 * The scope a request touches: `plant` for plant-wide resources and writes about no equipment, or the set of areas.
 * An empty area list means the resource is not area-scoped (any grant carrying the permission suffices).
 */
export type AccessScope = { kind: 'any' } | { kind: 'plant' } | { kind: 'areas'; areas: readonly string[] };

export function grantsPermission(grant: RoleGrant, permission: Permission): boolean {
  return ROLE_PERMISSIONS[grant.role].includes(permission);
}

/** The areas where the principal holds a permission; `'*'` when plant-wide. */
export function areasWith(principal: Principal, permission: Permission): Set<string> {
  const areas = new Set<string>();
  for (const grant of principal.grants) {
    if (!grantsPermission(grant, permission)) continue;
    for (const area of grant.areas) areas.add(area);
  }
  return areas;
}

export function isAllowed(principal: Principal, permission: Permission, scope: AccessScope): boolean {
  const areas = areasWith(principal, permission);
  if (areas.size === 0) return false;
  if (scope.kind === 'any') return true;
  if (areas.has(ALL_AREAS)) return true;
  if (scope.kind === 'plant') return false;
  return scope.areas.every((area) => areas.has(area));
}

/**
 * Throws unless the principal may use `permission` in `scope`.
 * @throws PF_ERR_ACCESS_DENIED
 */
export function assertAllowed(principal: Principal, permission: Permission, scope: AccessScope): void {
  if (isAllowed(principal, permission, scope)) return;
  const where = scope.kind === 'areas' ? ` in area ${scope.areas.join(', ')}` : scope.kind === 'plant' ? ' plant-wide' : '';
  throw new NotAllowedError(`${principal.userId} may not ${permission}${where}`, {
    details: { permission, scope, grants: principal.grants },
  });
}
