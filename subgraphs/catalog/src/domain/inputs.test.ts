import { describe, expect, it } from 'vitest';
import {
  flavorChoices,
  integerIn,
  optionalHttpUrl,
  phoneNumber,
  priceAmount,
  setMealLines,
  timeZoneName,
} from './inputs.ts';

const fieldOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    const { code, field } = (error as { extensions: { code: string; field?: string } }).extensions;
    return `${code}:${field}`;
  }
  return 'ok';
};

describe('input rules', () => {
  it('accepts positive integer prices only', () => {
    expect(priceAmount(1)).toBe(1);
    for (const bad of [0, -1, 1.5, Number.NaN, 100_000_001]) {
      expect(fieldOf(() => priceAmount(bad))).toBe('BAD_USER_INPUT:priceAmount');
    }
    expect(fieldOf(() => integerIn(7, 'sortOrder', 0, 5))).toBe('BAD_USER_INPUT:sortOrder');
  });

  it('accepts http(s) URLs only', () => {
    expect(optionalHttpUrl('https://a.example/x.jpg', 'imageUrl')).toBe('https://a.example/x.jpg');
    expect(optionalHttpUrl(null, 'imageUrl')).toBeNull();
    for (const bad of ['ftp://a.example/x', 'javascript:alert(1)', 'not a url']) {
      expect(fieldOf(() => optionalHttpUrl(bad, 'imageUrl'))).toBe('BAD_USER_INPUT:imageUrl');
    }
  });

  it('checks flavor choices: unique names, 1..20 distinct options without commas', () => {
    expect(flavorChoices([{ name: ' 辣度 ', options: [' 微辣', '重辣'] }])).toEqual([
      { name: '辣度', options: ['微辣', '重辣'] },
    ]);
    for (const bad of [
      [{ name: 'A', options: [] }],
      [{ name: 'A', options: ['x', 'x'] }],
      [{ name: 'A', options: ['x,y'] }],
      [{ name: 'A', options: ['x，y'] }],
      [
        { name: 'A', options: ['x'] },
        { name: 'A', options: ['y'] },
      ],
      Array.from({ length: 11 }, (_, i) => ({ name: `F${i}`, options: ['x'] })),
    ]) {
      expect(fieldOf(() => flavorChoices(bad))).toBe('BAD_USER_INPUT:flavors');
    }
  });

  it('checks set meal lines: 1..20 distinct dishes, 1..99 copies', () => {
    expect(setMealLines([{ dishId: 'a', copies: 2 }])).toEqual([{ dishId: 'a', copies: 2 }]);
    expect(fieldOf(() => setMealLines([]))).toBe('BAD_USER_INPUT:items');
    expect(
      fieldOf(() =>
        setMealLines([
          { dishId: 'a', copies: 1 },
          { dishId: 'a', copies: 1 },
        ]),
      ),
    ).toBe('BAD_USER_INPUT:items');
    expect(fieldOf(() => setMealLines([{ dishId: 'a', copies: 100 }]))).toBe(
      'BAD_USER_INPUT:items',
    );
  });

  it('checks time zones and phone numbers', () => {
    expect(timeZoneName(' Asia/Shanghai ')).toBe('Asia/Shanghai');
    expect(fieldOf(() => timeZoneName('Mars/Olympus'))).toBe('BAD_USER_INPUT:timezone');
    expect(phoneNumber('+86 (21) 5550-0101')).toBe('+86 (21) 5550-0101');
    expect(fieldOf(() => phoneNumber('call me'))).toBe('BAD_USER_INPUT:phone');
  });
});
