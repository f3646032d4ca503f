import { STATUS_CODES } from 'node:http';
import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, InvalidInputError, type ErrorCode } from '@salesledger/domain/errors';

interface ErrorBody {
  statusCode: number;
  /** A string, but for the health report's object of failing checks. */
  error: string | object;
  message: string;
  fields?: { field: string; message: string }[];
}

/** The one place errors become HTTP responses; anything unexpected is logged and kept vague. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = this.toBody(exception);
    // `error` is the reason phrase of the status, whatever raised it; the health report keeps its own.
    const reason = typeof body.error === 'object' ? body.error : (STATUS_CODES[body.statusCode] ?? 'Error');
    const answer = { ...body, error: reason };
    const response = host.switchToHttp().getResponse<Response>();
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', RETRY_AFTER_SECONDS);
    response.status(body.statusCode).json(answer);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) return domainBody(exception);
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      // Nest's own errors (and the health report) carry their body; keep it, with the status code.
      if (typeof response === 'object') return { statusCode: exception.getStatus(), ...response } as ErrorBody;
      return { statusCode: exception.getStatus(), error: exception.name, message: response };
    }
    const status = (exception as { status?: unknown; type?: string }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser's errors: malformed JSON, oversized or wrongly encoded bodies.
      return { statusCode: status, error: 'BadRequest', message: (exception as Error).message };
    }
    if (databaseUnavailable(exception)) {
      this.logger.warn(`database unavailable: ${(exception as Error).message}`);
      return {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: '',
        message: 'the database is unavailable; try again',
      };
    }
    this.logger.error(exception);
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: 'InternalError', message: 'unexpected error' };
  }
}

const RETRY_AFTER_SECONDS = 5;

/**
 * PostgreSQL out of reach (refused, reset, shutting down, a pool closed): the request may succeed
 * later, and nothing was half-written (an append is one transaction).
 */
function databaseUnavailable(exception: unknown): boolean {
  const { code, message } = (exception ?? {}) as { code?: unknown; message?: unknown };
  if (
    typeof code === 'string' &&
    (/^08/.test(code) || ['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code))
  )
    return true;
  return (
    typeof message === 'string' &&
    /Connection terminated|pool after calling end|connect ECONNREFUSED|timeout exceeded when trying to connect/.test(
      message,
    )
  );
}

function domainBody(error: DomainError): ErrorBody {
  const statusCode = statusOf(error.code);
  const fields = error instanceof InvalidInputError ? [...error.problems] : undefined;
  return { statusCode, error: error.name, message: error.message, ...(fields && { fields }) };
}

function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'invalid':
      return HttpStatus.BAD_REQUEST;
    case 'forbidden':
      return HttpStatus.FORBIDDEN;
    case 'not-found':
      return HttpStatus.NOT_FOUND;
    case 'conflict':
    case 'wrong-expected-revision':
      return HttpStatus.CONFLICT;
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}
