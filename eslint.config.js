// Lint: typescript-eslint's recommended rules over engine/, test/ and web/ (formatting is prettier's).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'web/dist/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-template-curly-in-string': 'off',
    },
  },
  {
    // Time comes from the Clock port (engine/ports/clock.ts) so that tests control it; only the
    // adapters (the system clock among them) read the machine's clock. performance.now() for
    // measuring a duration is fine.
    files: ['engine/**/*.ts'],
    ignores: ['engine/adapters/**', 'engine/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Read the time from the Clock port (clock.now()), not Date.now().',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Read the time from the Clock port (clock.now()), not new Date().',
        },
      ],
    },
  },
  {
    // The UI runs in the browser: its globals, not Node's.
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', location: 'readonly', history: 'readonly', sessionStorage: 'readonly' } },
  },
);
