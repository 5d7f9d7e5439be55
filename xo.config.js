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
			// health_check.py's JSON and the Python app's logs carry `null`; camtop's types say so rather than translate it.
			'@typescript-eslint/no-restricted-types': 'off',
			// `Buffer` and `process` are Node's globals; importing them in every file adds lines, not safety.
			'n/prefer-global/buffer': 'off',
			'n/prefer-global/process': 'off',
			// Its fix turns `.then(onValue, onError)` into `.catch(onError).then(onValue)`, which runs onValue after an error too.
			'promise/prefer-catch': 'off',
			// Comments begin with what they name, and names such as tmux, npm, ffmpeg or camelCase identifiers start lower case.
			'capitalized-comments': 'off',
			// A class keeps each method beside the state it tends, which reads better than members sorted by kind.
			'@typescript-eslint/member-ordering': 'off',
			// `(await response.json()).field` is one step; naming the intermediate adds a line and nothing else.
			'unicorn/no-await-expression-member': 'off',
			// Work started from a timer or an event handler chains `.then`; an async wrapper would only hide the un-awaited promise.
			'promise/prefer-await-to-then': 'off',
			// `void promise` says "started, not awaited, on purpose", which no-floating-promises asks us to say.
			'no-void': ['error', {allowAsStatement: true}],
			// Byte parsers, hashes and date keys are bit work: `>>> 0` for unsigned, `|` to pack fields, on purpose.
			'no-bitwise': 'off',
			// `a * b + c` reads as arithmetic always has; parentheses around a product would be noise.
			'@stylistic/no-mixed-operators': 'off',
			// A `default:` is a decision about the cases it covers, including those a union grows later.
			'@typescript-eslint/switch-exhaustiveness-check': ['error', {considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false}],
		},
	},
	{
		// Tests and benchmarks walk through a scenario one step after another, and benchmarks are scripts that exit with a code.
		files: ['test/**', 'bench/**', 'scripts/**'],
		rules: {
			'no-await-in-loop': 'off',
			'unicorn/no-process-exit': 'off',
			// Benchmarks print their notes and tables as whole lines of text.
			'@stylistic/max-len': 'off',
			// A benchmark's or a test helper's steps take the scenario's knobs by name at the one place they are called.
			'max-params': 'off',
			// A benchmark's main loop nests box, size, round and program: the matrix it measures.
			'max-depth': 'off',
			// Vitest's asymmetric matchers (`expect.any(Number)`) are typed `any`, and tests read back JSON the code under test
			// wrote: the shape of that JSON is what they assert.
			'@typescript-eslint/no-unsafe-assignment': 'off',
			'@typescript-eslint/no-unsafe-return': 'off',
			'@typescript-eslint/no-unsafe-argument': 'off',
			// Tests look for the control sequences the code writes, and strips.
			'no-control-regex': 'off',
		},
	},
	{
		// Tests and benchmarks are typed by test/tsconfig.json, which includes source/ beside them.
		files: ['test/**/*.{ts,tsx}', 'bench/**/*.{ts,tsx}', 'vitest.config.ts'],
		languageOptions: {
			parserOptions: {
				projectService: false,
				project: './test/tsconfig.json',
				tsconfigRootDir: import.meta.dirname,
			},
		},
	},
	{
		// Plain JavaScript (build scripts, this file, a test's child program) is typed by scripts/tsconfig.json, which allows JS.
		// Without it XO writes a fallback tsconfig without allowJs, which typescript-eslint's single-run mode (on when CI=true)
		// reads as "file not found in any project".
		files: ['xo.config.js', 'scripts/**/*.{js,mjs}', 'test/**/*.mjs'],
		languageOptions: {
			parserOptions: {
				projectService: false,
				project: './scripts/tsconfig.json',
				tsconfigRootDir: import.meta.dirname,
			},
		},
	},
];

export default xoConfig;
