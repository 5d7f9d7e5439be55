import {execFile} from 'node:child_process';
import {
	mkdir, mkdtemp, rm, symlink, writeFile,
} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {
	afterAll, beforeAll, describe, expect, it,
} from 'vitest';

// The layer rules of .dependency-cruiser.cjs, tried on small trees that break one rule each: a rule that never fires
// would let the house lean without anyone noticing.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEPCRUISE = path.join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

type Cruise = {code: number; output: string};

async function cruise(cwd: string): Promise<Cruise> {
	return new Promise(resolve => {
		execFile(DEPCRUISE, ['source', '--config', CONFIG, '--output-type', 'err'], {cwd}, (error, stdout, stderr) => {
			resolve({code: typeof error?.code === 'number' ? error.code : 0, output: `${stdout}${stderr}`});
		});
	});
}

let tree: string;

beforeAll(async () => {
	tree = await mkdtemp(path.join(tmpdir(), 'camtop-layers-'));
	await writeFile(path.join(tree, 'tsconfig.json'), JSON.stringify({compilerOptions: {module: 'NodeNext', moduleResolution: 'NodeNext', jsx: 'react-jsx'}}));
	// Ink and React resolve from here, so the rule about who may import them sees real packages.
	await symlink(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'));
});

afterAll(async () => {
	await rm(tree, {recursive: true, force: true});
});

/** Writes `files` (path → source) into a fresh source/ of the scratch tree and cruises it. */
async function cruiseFiles(files: Record<string, string>): Promise<Cruise> {
	await rm(path.join(tree, 'source'), {recursive: true, force: true});
	for (const [file, text] of Object.entries(files)) {
		const full = path.join(tree, 'source', file);
		await mkdir(path.dirname(full), {recursive: true});
		await writeFile(full, text);
	}

	return cruise(tree);
}

describe('the layer rules', () => {
	it('pass on the tree as it is', async () => {
		const {code, output} = await cruise(ROOT);
		expect(code, output).toBe(0);
	}, 60_000);

	it('fail an import that breaks them, each naming its rule', async () => {
		// One tree that breaks every rule, each by one import: a cruise takes seconds, so it runs once.
		const {code, output} = await cruiseFiles({
			'logs/parse.ts': 'import {view} from \'../ui/view.js\';\nexport const parse = view;\n',
			'ui/view.ts': 'export const view = 1;\n',
			'text/format.ts': 'import {x} from \'../collectors/redis.js\';\nexport const y = x;\n',
			'monitoring/monitor.ts': 'import {x} from \'../collectors/redis.js\';\nexport const y = x;\n',
			'collectors/redis.ts': 'import {x} from \'../commands/health.js\';\nexport const y = 1;\nexport const z = x;\n',
			'commands/health.ts': 'export const x = 1;\n',
			'alerts/engine.ts': 'import {view} from \'../ui/view.js\';\nexport const y = view;\n',
			'commands/analyze.ts': 'import {Text} from \'ink\';\nexport const y = Text;\n',
			'snapshot/a.ts': 'import type {B} from \'./b.js\';\nexport type A = {b?: B};\n',
			'snapshot/b.ts': 'import type {A} from \'./a.js\';\nexport type B = {a?: A};\n',
			'base/errors.ts': 'import {y} from \'../text/format.js\';\nexport const e = y;\n',
			'feeds/error-feed.ts': 'import {y} from \'../collectors/redis.js\';\nexport const f = y;\n',
			'config/types.ts': 'import {y} from \'../alerts/engine.js\';\nexport const t = y;\n',
			'snapshot/snapshot.ts': 'import {y} from \'../alerts/engine.js\';\nexport const s = y;\n',
			'commands/export.ts': 'import {view} from \'../ui/view.js\';\nexport const c = view;\n',
		});
		expect(code, output).not.toBe(0);
		for (const [rule, edge] of [
			['logs-only-on-text', 'source/logs/parse.ts → source/ui/view.ts'],
			['text-only-on-base', 'source/text/format.ts → source/collectors/redis.ts'],
			['monitoring-stands-alone', 'source/monitoring/monitor.ts → source/collectors/redis.ts'],
			['collectors-below-views', 'source/collectors/redis.ts → source/commands/health.ts'],
			['alerts-below-views', 'source/alerts/engine.ts → source/ui/view.ts'],
			['react-only-in-ui', 'source/commands/analyze.ts →'],
			['no-cycles', 'source/snapshot/a.ts →'],
			['base-is-the-bottom', 'source/base/errors.ts → source/text/format.ts'],
			['feeds-under-collectors', 'source/feeds/error-feed.ts → source/collectors/redis.ts'],
			['config-types-under-collectors', 'source/config/types.ts → source/alerts/engine.ts'],
			['snapshot-below-alerts', 'source/snapshot/snapshot.ts → source/alerts/engine.ts'],
			['views-side-by-side', 'source/commands/export.ts → source/ui/view.ts'],
		]) {
			expect(output, rule).toContain(`${rule}: ${edge}`);
		}
	}, 60_000);
});
