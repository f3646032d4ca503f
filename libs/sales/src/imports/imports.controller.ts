import { Controller, Logger, Param, ParseEnumPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiParam, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '../shared/current-principal.decorator';
import { Operation } from '../shared/openapi';
import { columnsAsMarkdown, CSV_COLUMNS } from './csv-columns';
import { CsvImporter, IMPORT_KINDS, parseMapping, type ImportKind, type RowError } from './csv-import';

const REPORTED_ERRORS = 1000;
const HEARTBEAT_MS = 1000;

const CSV_BODY = [
  'CSV with a header row, UTF-8. The columns of each kind:',
  ...IMPORT_KINDS.map((kind) => `\n**${kind}** (${CSV_COLUMNS[kind].rows})\n\n${columnsAsMarkdown(kind)}`),
].join('\n');

class RowErrorResponse {
  @ApiProperty({ example: 3, description: 'the line of the file (the header is line 1)' }) row!: number;
  @ApiProperty({ example: 'unitPrice' }) field!: string;
  @ApiProperty({ example: 'unitPrice must have at most 2 decimal places' }) message!: string;
  @ApiProperty({ type: [String], example: ['o-9', 'rep-1', 'c-1001'], description: "the row's values, in file order" })
  values!: string[];
}

class ImportResponse {
  @ApiProperty({ example: 120 }) rows!: number;
  @ApiProperty({ example: 100, description: 'rows appended now' }) new!: number;
  @ApiProperty({ example: 18, description: 'rows an earlier import already recorded: nothing appended' })
  alreadyPresent!: number;
  @ApiProperty({ example: 2 }) rejected!: number;
  @ApiProperty({ example: 18234 }) bytes!: number;
  @ApiProperty({ type: [RowErrorResponse], description: `the first ${REPORTED_ERRORS} rejected rows` })
  errors!: RowErrorResponse[];
}

@ApiTags('imports')
@ApiBearerAuth()
@Controller('v1/imports')
export class ImportsController {
  private readonly logger = new Logger(ImportsController.name);

  constructor(private readonly importer: CsvImporter) {}

  /** The body is read as a stream, so files of any size import in bounded memory. */
  @Post(':kind')
  @ApiConsumes('text/csv')
  @ApiParam({ name: 'kind', enum: IMPORT_KINDS, description: 'what the rows are' })
  @ApiBody({ schema: { type: 'string', format: 'binary' }, description: CSV_BODY })
  @ApiQuery({ name: 'map', required: false, isArray: true, description: 'column=field, to read a column as a field' })
  @Operation({
    summary: 'Import customers, visits or orders from CSV',
    ok: ImportResponse,
    status: 201,
    errors: [403, 413],
  })
  async upload(
    @CurrentPrincipal() principal: Principal,
    @Param('kind', new ParseEnumPipe(IMPORT_KINDS)) kind: ImportKind,
    @Req() request: Request,
    @Query('map') map?: string | string[],
  ) {
    const mapping = parseMapping(map === undefined ? [] : Array.isArray(map) ? map : [map]);
    const errors: RowError[] = [];
    // A client that goes before its answer (closed tab, killed script) stops the import with it.
    const clientGone = new AbortController();
    const response = request.res;
    response?.on('close', () => {
      if (!response.writableFinished) clientGone.abort();
    });
    // The upload may already sit in the server's buffers, so reading would notice the client gone
    // only at their end: a write does at once, and `102 Processing` is one a client skips.
    const heartbeat = setInterval(() => response?.headersSent || response?.writeProcessing(), HEARTBEAT_MS);
    const stats = await this.importer
      .run(request, {
        kind,
        principal,
        mapping,
        onRowError: (error) => errors.length < REPORTED_ERRORS && errors.push(error),
        signal: clientGone.signal,
      })
      .finally(() => clearInterval(heartbeat));
    if (clientGone.signal.aborted)
      this.logger.warn(
        `${kind} import stopped, its client gone: ${stats.new} of ${stats.rows} rows read were appended`,
      );
    return { ...stats, errors };
  }
}
