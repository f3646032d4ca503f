import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { InvalidInputError } from '@salesledger/domain/errors';
import { ID } from './dto-rules';

/** Ids in paths obey the same rule as ids in bodies, so no odd string reaches a stream name. */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value !== 'string' || !ID.test(value)) {
      throw new InvalidInputError([
        {
          field: metadata.data ?? 'id',
          message: 'must be 1-100 letters, digits, _ . : - (starting with a letter or digit)',
        },
      ]);
    }
    return value;
  }
}
