import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '@salesledger/domain/organisation/access.policy';

/** A request the bearer guard let through, with the principal its token stands for. */
export type AuthenticatedRequest = Request & {
  principal: Principal;
  /** Whether the request's token still counts (not revoked, expired or its user deactivated): for long-lived answers. */
  stillAuthorised?: () => Promise<boolean>;
};

/** The authenticated principal of the request (set by the API's bearer guard). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);
