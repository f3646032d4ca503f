import { Controller, Param, ParseEnumPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CsvImporter, IMPORT_KINDS, parseMapping, type ImportKind, type RowError } from '@salesledger/sales/csv-import';
import { CurrentPrincipal } from '../auth/principal.decorator';

const REPORTED_ERRORS = 1000;

@ApiTags('imports')
@ApiBearerAuth()
@Controller('v1/imports')
export class ImportsController {
  constructor(private readonly importer: CsvImporter) {}

  /** The body is read as a stream, so files of any size import in bounded memory. */
  @Post(':kind')
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', format: 'binary' }, description: 'CSV with a header row' })
  @ApiQuery({ name: 'map', required: false, isArray: true, description: 'column=field, to read a column as a field' })
  async upload(
    @CurrentPrincipal() principal: Principal,
    @Param('kind', new ParseEnumPipe(IMPORT_KINDS)) kind: ImportKind,
    @Req() request: Request,
    @Query('map') map?: string | string[],
  ) {
    const errors: RowError[] = [];
    const stats = await this.importer.run(request, {
      kind,
      principal,
      mapping: parseMapping(map === undefined ? [] : Array.isArray(map) ? map : [map]),
      onRowError: (error) => errors.length < REPORTED_ERRORS && errors.push(error),
    });
    return { ...stats, errors };
  }
}
