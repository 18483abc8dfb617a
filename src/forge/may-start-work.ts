/** Roles that may start the agent. Read, triage and outside contributors may not. */
const ALLOWED_ROLES = new Set(["admin", "maintain", "write"]);

/**
 * Decides from the collaborator-permission API answer (never from the payload's
 * author_association, which describes the issue author rather than the sender).
 */
export function mayStartWork(permission: { permission?: string; role_name?: string } | undefined): boolean {
  if (!permission) return false;
  return ALLOWED_ROLES.has(permission.role_name ?? "") || ALLOWED_ROLES.has(permission.permission ?? "");
}
