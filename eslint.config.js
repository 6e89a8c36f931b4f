// Type-aware lint plus the import boundaries of docs/architecture.md, enforced per folder.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// node:crypto (hashes, X.509 parsing) and node:buffer are pure computation and allowed in the engine.
const effects = [
  'node:fs', 'node:fs/*', 'node:net', 'node:http', 'node:https', 'node:http2', 'node:tls', 'node:dns', 'node:dgram',
  'node:child_process', 'node:os', 'node:process', 'node:timers', 'node:timers/*', 'node:worker_threads',
  'node:cluster', 'node:readline', 'fs', 'net', 'http', 'https', 'child_process', 'pino', 'prom-client',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bin/**', 'scripts/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cluster/kube/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@kubernetes/client-node'], message: 'only cluster/kube talks to the Kubernetes client.' }] },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/main/**', '**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'only main/ reads the environment' }],
    },
  },
  {
    // The engine is pure: no I/O, no clock, no randomness, no cluster.
    files: ['src/engine/**/*.ts', 'src/api/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: effects, message: 'engine/ and api/ are pure: pass effects in through EvalEnv.' },
            { group: ['**/cluster/**', '**/pipeline/**', '**/cli/**', '**/main/**', '**/platform/**'], message: 'engine/ depends on nothing outside engine/, api/ and policy types.' },
            { group: ['@kubernetes/client-node'], message: 'only cluster/kube talks to the Kubernetes client.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'use env.clock' },
        { object: 'Math', property: 'random', message: 'use env.random' },
        { object: 'process', property: 'env', message: 'only main/ reads the environment' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
);
