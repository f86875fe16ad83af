import { describe, expect, it } from 'vitest';
import { canonicalFlavor, flavorFromChoices } from './flavor.ts';

const spice = { name: '辣度', options: ['不辣', '微辣', '重辣'] };
const ice = { name: '温度', options: ['去冰', '少冰'] };

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { extensions: Record<string, unknown> }).extensions;
  }
  return null;
};

describe('canonicalFlavor', () => {
  it('joins one option per flavor choice with commas, in the dish order', () => {
    expect(canonicalFlavor([spice, ice], '微辣,少冰')).toBe('微辣,少冰');
    expect(canonicalFlavor([spice, ice], ' 少冰 ， 微辣 ')).toBe('微辣,少冰');
    expect(canonicalFlavor([spice], '重辣')).toBe('重辣');
  });

  it('takes no flavor for items without choices', () => {
    expect(canonicalFlavor([], null)).toBeNull();
    expect(canonicalFlavor([], undefined)).toBeNull();
    expect(canonicalFlavor([], ' ')).toBeNull();
    expect(codeOf(() => canonicalFlavor([], '微辣'))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'flavor',
    });
  });

  it('refuses a missing, partial, unknown or doubled pick', () => {
    for (const pick of [null, '', '微辣', '微辣,微辣', '微辣,热', '微辣,少冰,去冰', '少冰,去冰']) {
      expect(codeOf(() => canonicalFlavor([spice, ice], pick, { dishId: 'd' }))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'flavor',
        dishId: 'd',
      });
    }
  });
});

describe('flavorFromChoices', () => {
  const dish = [
    { name: '辣度', options: ['不辣', '微辣'] },
    { name: '温度', options: ['去冰', '少冰'] },
  ];
  const refusalOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return (error as { extensions: Record<string, unknown> }).extensions;
    }
    throw new Error('expected a refusal');
  };

  it('answers the canonical text in the dish order, whatever the order of the choices', () => {
    expect(
      flavorFromChoices(dish, [
        { name: '温度', option: '少冰' },
        { name: '辣度', option: '微辣' },
      ]),
    ).toBe('微辣,少冰');
    expect(canonicalFlavor(dish, '少冰,微辣')).toBe('微辣,少冰');
  });

  it('takes no choices for a dish without flavor choices', () => {
    expect(flavorFromChoices([], [])).toBeNull();
  });

  it('refuses an unknown name, an option of another choice, a choice twice or one missing', () => {
    const cases = [
      [
        { name: '甜度', option: '半糖' },
        { name: '温度', option: '少冰' },
      ],
      [
        { name: '辣度', option: '少冰' },
        { name: '温度', option: '去冰' },
      ],
      [
        { name: '辣度', option: '微辣' },
        { name: '辣度', option: '不辣' },
      ],
      [{ name: '辣度', option: '微辣' }],
    ];
    for (const choices of cases) {
      expect(refusalOf(() => flavorFromChoices(dish, choices, { dishId: 'd' }))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'flavors',
        dishId: 'd',
      });
    }
  });
});
