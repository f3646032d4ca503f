import { Module } from '@nestjs/common';
import { CsvImporter } from './csv-import';
import { ImportsController } from './imports.controller';

/** CSV imports through the same commands as the API. */
@Module({ controllers: [ImportsController], providers: [CsvImporter], exports: [CsvImporter] })
export class ImportsModule {}
