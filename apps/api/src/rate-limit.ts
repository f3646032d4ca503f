import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';
import { tokenHash } from '@salesledger/sales/shared/token-hash';
import { TokenVerifier } from './auth/token-verifier';

const WINDOW_MS = 60_000;

/** `perMinute` requests a minute over all routes for each caller; 0 turns limiting off. */
export function rateLimit(perMinute: number): ThrottlerModuleOptions {
  return {
    throttlers: [{ ttl: WINDOW_MS, limit: perMinute }],
    skipIf: () => perMinute === 0,
    // One budget over every route, not one per route as the library's default key would make it.
    generateKey: (_context, tracker) => tracker,
    errorMessage: `more than ${perMinute} requests in a minute with this token: try again after Retry-After seconds`,
  };
}

/**
 * The caller whose budget a request spends: a valid bearer token (known by its hash, never kept
 * itself), else the client address. Made-up tokens thus share their sender's one budget, so
 * guessing tokens is limited as well. Runs before authentication; the verdict it asks for is
 * cached, so authentication does not pay twice.
 */
@Injectable()
export class TokenRateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly tokens: TokenVerifier,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(request: Request): Promise<string> {
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (token && (await this.tokens.verify(token))) return `token:${tokenHash(token)}`;
    return `address:${request.ip ?? request.socket.remoteAddress ?? 'unknown'}`;
  }
}
