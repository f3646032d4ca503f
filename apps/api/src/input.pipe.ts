import type { ArgumentMetadata, PipeTransform, ValidationPipe } from '@nestjs/common';
import { InvalidInputError } from '@salesledger/domain/errors';

/** Deeper than any request of the API needs; deep enough input would overflow the stack when transformed. */
const MAX_DEPTH = 32;

function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_DEPTH) return deepest;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** Refuses input nested too deep before the validation pipe transforms it, then validates as usual. */
export class InputPipe implements PipeTransform {
  constructor(private readonly validation: ValidationPipe) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (depthOf(value) > MAX_DEPTH)
      throw new InvalidInputError([
        { field: metadata.type, message: `${metadata.type} nests deeper than ${MAX_DEPTH} levels` },
      ]);
    return this.validation.transform(value, metadata);
  }
}
