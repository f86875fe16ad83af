import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/__generated__/**',
      '**/dist/**',
      '**/.before/**',
      '.data/**',
      '.turbo/**',
      '.runtime/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // One place touches each database: in a subgraph only stores/ may import the generated
    // Prisma client or Prisma itself; everything else asks the stores (and takes its model types
    // from stores/index.ts).
    files: ['subgraphs/*/src/**/*.ts', 'subgraphs/*/test/**/*.ts'],
    ignores: ['subgraphs/*/src/stores/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)__generated__/prisma/',
              message:
                'Only stores/ imports the generated Prisma client; import from stores/index.ts.',
            },
            {
              regex: '^(@prisma/|prisma$)',
              message: "Only stores/ talks to Prisma; go through the subgraph's stores.",
            },
          ],
        },
      ],
    },
  },
);
