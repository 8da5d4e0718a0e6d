// Lint rules that keep Bestiary's habits (../STYLE.md): promises handled, switches exhaustive,
// no import cycles, module doors respected, and raw HTML only through src/core/html.ts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** Domain modules: each may be entered only through its index.ts (its "door"). */
const modules = [
  'accounts',
  'domains',
  'dns',
  'picloud',
  'monitoring',
  'backups',
  'jobs',
  'cluster',
];
/** Adapters translate; they never reach the database directly. */
const adapters = ['src/web', 'src/dns/server', 'src/monitoring/notifiers', 'src/picloud/drivers'];

const doorZones = modules.flatMap((owner) =>
  modules
    .filter((other) => other !== owner)
    .map((other) => ({
      target: `./src/${owner}`,
      from: `./src/${other}`,
      except: ['./index.ts'],
      message: `Import ${other} through its door, src/${other}/index.ts.`,
    })),
);
const adapterZones = adapters.map((target) => ({
  target: `./${target}`,
  from: './src/db',
  message: 'Adapters never import the database; call a module door instead.',
}));

const rawHtmlMessage =
  'Raw HTML is made only by the named functions in src/core/html.ts (the XSS lesson).';

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'coverage', '.tmp', 'src/web/assets/vendor/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/require-await': 'off',
      // Our factories return objects of closures that never use `this`.
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/only-throw-error': 'error',
      'import-x/no-cycle': ['error', { maxDepth: 8 }],
      'import-x/no-restricted-paths': ['error', { zones: [...doorZones, ...adapterZones] }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'hono/html', importNames: ['raw'], message: rawHtmlMessage },
            { name: 'hono/utils/html', message: rawHtmlMessage },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: rawHtmlMessage },
        {
          selector: "JSXAttribute[name.name='style']",
          message: 'Inline styles break the strict CSP; add a class to src/web/assets/app.css.',
        },
        {
          selector: 'JSXAttribute[name.name=/^on[a-z]+$/i]',
          message: 'Inline event handlers break the strict CSP; use src/web/assets/app.js.',
        },
        {
          selector: "JSXOpeningElement[name.name='form']",
          message:
            'Use <PostForm> (it carries the CSRF token) or a GET form component from src/web/panel/ui.tsx.',
        },
        { selector: "MemberExpression[property.name='innerHTML']", message: rawHtmlMessage },
        { selector: "MemberExpression[property.name='outerHTML']", message: rawHtmlMessage },
        {
          selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
          message: rawHtmlMessage,
        },
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Only src/config.ts reads process.env; take a Config instead.',
        },
      ],
    },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
  },
  {
    // The one reviewed source of trusted markup.
    files: ['src/core/html.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Config is the one reader of the environment; tests, benches and scripts set up their own world.
    files: ['src/config.ts', 'test/**', 'bench/**', 'bin/**', 'scripts/**', '*.config.*'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Node scripts outside the TypeScript project.
    files: ['bin/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['src/web/assets/**/*.js'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        EventSource: 'readonly',
        URL: 'readonly',
      },
    },
  },
);
