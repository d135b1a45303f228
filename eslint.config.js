// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** TypeScript with type information: promises must be awaited or handed on on purpose, type imports say so. */
export default tseslint.config(
  // scripts/client/ is type-checked against a client generated from the document (scripts/client-check.sh).
  { ignores: ['node_modules/', 'src/generated/', 'dist/', 'coverage/', '.vitasync/', 'scripts/client/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
