import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedRequest } from '@salesledger/sales/shared/current-principal.decorator';
import { IS_PUBLIC } from './public.decorator';
import { TokenVerifier } from './token-verifier';

@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    const token = match?.[1];
    const principal = token ? await this.tokens.verify(token) : undefined;
    if (!token || !principal)
      throw new UnauthorizedException('a valid bearer token is required (Authorization: Bearer <token>)');
    request.principal = principal;
    request.stillAuthorised = async () => (await this.tokens.verify(token)) !== undefined;
    return true;
  }
}
