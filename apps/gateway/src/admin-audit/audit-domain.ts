/** A request to an admin route; the handler may name the domain its change acted in. */
export interface AuditedRequest {
  auditDomain?: string;
}

/**
 * Names the domain an admin change acted in, as the owning service answered it (a user's, for routes
 * under /admin/users/:id whose reply carries none), so its audit row belongs to that domain.
 */
export function auditIn(request: AuditedRequest, domain: string | undefined): void {
  if (domain) request.auditDomain = domain;
}
