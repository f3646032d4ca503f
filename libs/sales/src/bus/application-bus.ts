import { Logger } from '@nestjs/common';
import { Command, Query } from '@nestjs/cqrs';
import { Histogram, register } from 'prom-client';
import { DomainError } from '@salesledger/domain/errors';
import {
  assertMayRead,
  assertMayWrite,
  readScope,
  type Ownership,
  type Principal,
  type ReadScope,
  type Resource,
} from '@salesledger/domain/organisation/access.policy';

/** A change asked for by a principal; its handler feeds `handleCommand`. */
export abstract class AppCommand<Result> extends Command<Result> {
  constructor(readonly principal: Principal) {
    super();
  }
}

/** A read asked for by a principal, answered from the read model (or a stream, for audit reads). */
export abstract class AppQuery<Result> extends Query<Result> {
  constructor(readonly principal: Principal) {
    super();
  }
}

/** What a creating command did: the entity, and whether it was a retry that appended nothing. */
export interface Outcome<View> {
  readonly view: View;
  readonly replayed: boolean;
}

/** One rule of the access policy: may the principal change (command) or read (query) this owner's resource. */
export interface Check {
  readonly resource: Resource;
  readonly owner?: Ownership;
}

/**
 * What a message touches, for the access policy: one or more owners' data (a move needs reach over
 * both teams); a listing the handler narrows to what the principal reaches (`scoped`); a single
 * row whose owner is known once read (`ownerOf` the result); or `none`: every signed-in user may ask.
 */
export type Access<Result = unknown> =
  | Check
  | readonly Check[]
  | { readonly scoped: Resource }
  | { readonly resource: Resource; readonly ownerOf: (result: Result) => Ownership }
  | 'none';

const DURATION = 'salesledger_bus_duration_seconds';
const log = new Logger('bus');

/** Read per call: the API module clears the process-wide registry when an app closes. */
function durations(): Histogram<'kind' | 'name' | 'outcome'> {
  return (
    (register.getSingleMetric(DURATION) as Histogram<'kind' | 'name' | 'outcome'> | undefined) ??
    new Histogram({
      name: DURATION,
      help: 'commands and queries through the buses, by outcome (ok, or the error code)',
      labelNames: ['kind', 'name', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    })
  );
}

/**
 * The bus path every message takes: the access policy, then the handler, timed and logged once
 * here instead of in each handler.
 */
abstract class GuardedHandler<Message extends AppCommand<Result> | AppQuery<Result>, Result> {
  protected abstract readonly kind: 'command' | 'query';

  protected abstract access(message: Message): Access<Result> | Promise<Access<Result>>;

  /** `reach`: what of a scoped resource the principal may see (`all` otherwise). */
  protected abstract handle(message: Message, reach: ReadScope): Promise<Result>;

  async execute(message: Message): Promise<Result> {
    const started = performance.now();
    const name = message.constructor.name;
    let outcome = 'ok';
    try {
      const access = await this.access(message);
      const result = await this.handle(message, this.reach(message.principal, access));
      if (typeof access === 'object' && 'ownerOf' in access)
        this.assert(message.principal, access, access.ownerOf(result));
      return result;
    } catch (error) {
      outcome = error instanceof DomainError ? error.code : 'error';
      throw error;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      durations().observe({ kind: this.kind, name, outcome }, seconds);
      log.debug({ name, actor: message.principal.userId, outcome, ms: Math.round(seconds * 1000) }, this.kind);
    }
  }

  /** Checks what can be checked before the handler runs; a listing's reach is passed to it. */
  private reach(principal: Principal, access: Access<Result>): ReadScope {
    if (access === 'none' || 'ownerOf' in access) return 'all';
    if ('scoped' in access) return readScope(principal, access.scoped);
    for (const check of Array.isArray(access) ? access : [access as Check])
      this.assert(principal, check, check.owner ?? {});
    return 'all';
  }

  private assert(principal: Principal, check: { resource: Resource }, owner: Ownership): void {
    (this.kind === 'command' ? assertMayWrite : assertMayRead)(principal, check.resource, owner);
  }
}

export abstract class AppCommandHandler<
  C extends AppCommand<R>,
  R = C extends AppCommand<infer T> ? T : never,
> extends GuardedHandler<C, R> {
  protected readonly kind = 'command';
}

export abstract class AppQueryHandler<
  Q extends AppQuery<R>,
  R = Q extends AppQuery<infer T> ? T : never,
> extends GuardedHandler<Q, R> {
  protected readonly kind = 'query';
}
