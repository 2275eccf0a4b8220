/** xo (ESLint) with Prettier as the one formatter; `npm run lint -- --fix` formats. */
const config = [
	{
		ignores: ['dist/**', 'coverage/**', '.tmp/**', 'test/vectors/**'],
	},
	{
		prettier: true,
		react: true,
		rules: {
			// Error classes expose their code and alert as readonly literal fields, on purpose.
			'@typescript-eslint/class-literal-property-style': 'off',
			// Wire formats are clearer as bit operations and hex literals.
			'no-bitwise': 'off',
			'unicorn/number-literal-case': 'off',
			'unicorn/numeric-separators-style': 'off',
			'unicorn/prefer-math-trunc': 'off',
			// Domain names like `ServerHello` and RFC names are kept as the specs spell them.
			'unicorn/prevent-abbreviations': 'off',
			'@typescript-eslint/naming-convention': 'off',
			'max-params': 'off',
			complexity: 'off',
			'max-depth': 'off',
			'no-await-in-loop': 'off',
			'unicorn/no-process-exit': 'off',
			'n/prefer-global/process': 'off',
			'n/prefer-global/buffer': 'off',
			'unicorn/prefer-top-level-await': 'off',
			'@typescript-eslint/no-non-null-assertion': 'off',
			'unicorn/no-array-callback-reference': 'off',
			'unicorn/no-array-reduce': 'off',
			'unicorn/prefer-event-target': 'off',
			'@typescript-eslint/no-unsafe-type-assertion': 'off',
			'no-warning-comments': 'off',
			'unicorn/no-for-loop': 'off',
			'@typescript-eslint/member-ordering': 'off',
			'unicorn/prefer-string-replace-all': 'off',
			'@typescript-eslint/no-restricted-types': 'off',
			'@typescript-eslint/prefer-readonly-parameter-types': 'off',
			'import-x/extensions': 'off',
			'n/file-extension-in-import': 'off',
			'unicorn/no-null': 'off',
			'new-cap': 'off',
			'unicorn/text-encoding-identifier-case': 'off',
			'capitalized-comments': 'off',
			'prefer-destructuring': 'off',
			'@typescript-eslint/no-redeclare': 'off',
			'unicorn/better-regex': 'off',
			'require-unicode-regexp': 'off',
			'unicorn/prefer-at': 'off',
			'unicorn/no-array-sort': 'off',
			'unicorn/no-array-reverse': 'off',
			'unicorn/prefer-spread': 'off',
			// `(resolve) => setTimeout(resolve, ms)` and one-line void arrows read better than blocks.
			'no-promise-executor-return': 'off',
			'@typescript-eslint/strict-void-return': 'off',
			'@typescript-eslint/no-confusing-void-expression': 'off',
			'unicorn/no-await-expression-member': 'off',
			'@typescript-eslint/dot-notation': 'off',
			// Prettier formats `constructor(...) {}`; this stylistic rule fights it.
			'@stylistic/curly-newline': 'off',
			// A default branch is how a switch over a large event union says "nothing else matters here".
			'@typescript-eslint/switch-exhaustiveness-check': [
				'error',
				{considerDefaultExhaustiveForUnions: true},
			],
		},
	},
];

export default config;
