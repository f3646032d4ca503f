import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Actor } from '@salesledger/domain/event';
import { IS_PUBLIC } from './public.decorator';
import { TokenVerifier } from './token-verifier';

export type AuthenticatedRequest = Request & { actor: Actor };

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
    const actor = match ? await this.tokens.verify(match[1] as string) : undefined;
    if (!actor) throw new UnauthorizedException('a valid bearer token is required (Authorization: Bearer <token>)');
    request.actor = actor;
    return true;
  }
}
