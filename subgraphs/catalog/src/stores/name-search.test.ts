import { describe, expect, it } from 'vitest';
import { escapeLikePattern, nameContains } from './name-search.ts';

describe('name search', () => {
  it('matches pattern characters literally', () => {
    expect(escapeLikePattern('50%_off\\')).toBe('50\\%\\_off\\\\');
    expect(escapeLikePattern('红烧 Beef')).toBe('红烧 Beef');
  });

  it('trims the keyword and applies no filter when it is blank', () => {
    expect(nameContains('  noodle ')).toEqual({
      name: { contains: 'noodle', mode: 'insensitive' },
    });
    expect(nameContains('   ')).toEqual({});
    expect(nameContains(null)).toEqual({});
    expect(nameContains(undefined)).toEqual({});
  });
});
