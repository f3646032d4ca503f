import { describe, expect, it } from 'vitest';
import { MESSAGES } from '.';

type Tree = { [key: string]: string | Tree };
const keys = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`),
  );

describe('the two languages', () => {
  it('say the same things: every message exists in English and in Chinese', () => {
    expect(keys(MESSAGES['zh-CN']).sort()).toEqual(keys(MESSAGES.en).sort());
  });

  it('keep the same placeholders in each message', () => {
    const placeholders = (tree: Tree) =>
      Object.fromEntries(
        keys(tree).map((key) => {
          const text = key
            .split('.')
            .reduce<string | Tree>((node, part) => (node as Tree)[part] as string | Tree, tree) as string;
          return [key, [...text.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort()];
        }),
      );
    expect(placeholders(MESSAGES['zh-CN'])).toEqual(placeholders(MESSAGES.en));
  });
});
