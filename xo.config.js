/**
The house style (../shared/STYLE.md): XO's defaults, with tabs and semicolons, and React's rules for ui/.
Each rule turned off here says why; everything else is XO's.
@type {import('xo').FlatXoConfig}
*/
const xoConfig = [
	{
		ignores: ['dist/**', 'logs/**', '.demo/**', '.scratch/**', 'patches/**', 'test/fixtures/**'],
	},
	{
		react: true,
		rules: {
			// Constants are named with their unit in upper case (`POLL_INTERVAL_MS`), as STYLE.md asks; other names stay camelCase.
			'@typescript-eslint/naming-convention': 'off',
			// The seed-compatible JSON and the Python logs carry `null`; camtop's types say so rather than translate it.
			'@typescript-eslint/no-restricted-types': 'off',
			// `Buffer` and `process` are Node's globals; importing them in every file adds lines, not safety.
			'n/prefer-global/buffer': 'off',
			'n/prefer-global/process': 'off',
			// Its fix turns `.then(onValue, onError)` into `.catch(onError).then(onValue)`, which runs onValue after an error too.
			'promise/prefer-catch': 'off',
		},
	},
	{
		// Tests and benchmarks are typed by test/tsconfig.json, which includes source/ beside them.
		files: ['test/**/*.{ts,tsx}', 'bench/**/*.{ts,tsx}'],
		languageOptions: {
			parserOptions: {
				project: './test/tsconfig.json',
				tsconfigRootDir: import.meta.dirname,
			},
		},
	},
];

export default xoConfig;
