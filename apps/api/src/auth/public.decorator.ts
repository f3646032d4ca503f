import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'salesledger:public';

/** Routes that operators and probes reach without a token: health, metrics, API docs. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
