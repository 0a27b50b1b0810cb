import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** A NATS subject: `<service>.<noun>.<verb>` (STYLE.md "Naming"). */
const SUBJECT = '/^(auth|sessions|directory|federation|mailer|gateway)\\.[a-z-]+\\.[a-z-]+/';
const MESSAGING = '/^(send|emit|request|publish|subscribe|MessagePattern|EventPattern|RpcHandler|EventHandler)$/';
/** NATS subjects go through their constants in libs/contracts (`LoginSubjects.password`), never as string literals. */
const subjectLiterals = {
  'no-restricted-syntax': [
    'error',
    ...['callee.name', 'callee.property.name'].map((callee) => ({
      selector: `CallExpression[${callee}=${MESSAGING}] > Literal.arguments[value=${SUBJECT}]`,
      message: 'Name a NATS subject by its constant from @gatehouse/contracts (e.g. LoginSubjects.password), not a string literal.',
    })),
  ],
};

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', 'libs/db/src/generated/**', 'apps/web/**', '**/*.mjs', '**/*.cjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            // an app never imports another app; services share only libs
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:util', 'type:contracts', 'type:data-access'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
    },
  },
  // Contracts declare the subjects; everything else names them by their constants
  // (`node -r @swc-node/register tools/codemods/subject-constants.ts <files>` converts literals).
  {
    files: ['**/*.ts'],
    ignores: ['libs/contracts/**'],
    rules: subjectLiterals,
  },
];
