import { describe, expect, it } from 'vitest';
import { optionalText, requiredText, textLength } from './index.ts';

/** `BAD_USER_INPUT:<field>` for a refusal, else `ok`. */
function refusal(run: () => unknown): string {
  let extensions: { code?: unknown; field?: unknown } | null = null;
  try {
    run();
  } catch (error) {
    ({ extensions } = error as { extensions: { code?: unknown; field?: unknown } });
  }
  return extensions ? [extensions.code, extensions.field].join(':') : 'ok';
}

describe('text limits', () => {
  it('count characters as people do: code points, not UTF-16 units or bytes', () => {
    // 𠮷 (U+20BB7) takes two UTF-16 units; it is one character.
    expect('𠮷野家'.length).toBe(4);
    expect(textLength('𠮷野家')).toBe(3);
    expect(requiredText('  𠮷野家  ', 'name', 3)).toBe('𠮷野家');
    expect(optionalText('𠮷野家', 'remark', 3)).toBe('𠮷野家');
    expect(refusal(() => requiredText('红烧牛肉面!', 'name', 5))).toBe('BAD_USER_INPUT:name');
    expect(refusal(() => optionalText('红烧牛肉面!', 'remark', 5))).toBe('BAD_USER_INPUT:remark');
  });

  it('trim, refuse blank required text and read blank optional text as none', () => {
    expect(refusal(() => requiredText('   ', 'name', 5))).toBe('BAD_USER_INPUT:name');
    expect(refusal(() => requiredText('ab', 'name', 5, { min: 3 }))).toBe('BAD_USER_INPUT:name');
    expect(optionalText(null, 'description', 10)).toBeNull();
    expect(optionalText(undefined, 'description', 10)).toBeNull();
    expect(optionalText('  ', 'description', 10)).toBeNull();
  });

  it('take a friendlier message where a field has one', () => {
    expect(() =>
      requiredText('', 'contactName', 64, {
        message: 'The contact name needs 1 to 64 characters.',
      }),
    ).toThrow('The contact name needs 1 to 64 characters.');
  });
});
