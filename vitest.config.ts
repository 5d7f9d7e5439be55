import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		// Tests start real servers and processes: generous bounds, never timing assertions.
		testTimeout: 30_000,
		hookTimeout: 30_000,
		pool: 'forks',
	},
});
