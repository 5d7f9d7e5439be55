import {execFile} from 'node:child_process';
import {
	copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);
/** Packing builds the project (tsc and the bundle) from nothing: minutes on a busy two-core box. */
const PACK_TIMEOUT_MS = 300_000;

/** The environment without what npm tells the scripts it runs (`npm test` runs this one), so the inner npm is a fresh one. */
function cleanEnv(): NodeJS.ProcessEnv {
	return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

/** A clean clone, without the network: what git tracks and what it would track (not ignored), node_modules linked from here. */
async function cleanCopy(): Promise<string> {
	const copy = mkdtempSync(path.join(os.tmpdir(), 'camtop-clone-'));
	const {stdout} = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {cwd: ROOT, maxBuffer: 64 * 1024 * 1024});
	for (const file of stdout.split('\0').filter(Boolean)) {
		// Deleted in the working tree but not yet from the index: not part of the project now.
		if (existsSync(path.join(ROOT, file))) {
			mkdirSync(path.dirname(path.join(copy, file)), {recursive: true});
			copyFileSync(path.join(ROOT, file), path.join(copy, file));
		}
	}

	symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
	return copy;
}

describe('npm pack, then npm i -g of the tarball', () => {
	it('installs a camtop that runs, with no dependency to fetch', async () => {
		const copy = await cleanCopy();
		const env = cleanEnv();
		const {stdout: packed} = await run('npm', ['pack', '--json'], {cwd: copy, env, maxBuffer: 64 * 1024 * 1024});
		const [tarball] = JSON.parse(packed.slice(packed.indexOf('['))) as Array<{filename: string; files: Array<{path: string}>}>;
		const files = tarball!.files.map(file => file.path).sort();
		expect(files).toContain('dist/camtop.mjs');
		expect(files).toContain('dist/monitoring.mjs');
		expect(files.filter(file => file.endsWith('.map'))).toEqual([]);

		const prefix = mkdtempSync(path.join(os.tmpdir(), 'camtop-prefix-'));
		await run('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', path.join(copy, tarball!.filename)], {cwd: copy, env});
		expect(existsSync(path.join(prefix, 'lib', 'node_modules', 'camtop', 'node_modules'))).toBe(false);

		const camtop = path.join(prefix, 'bin', 'camtop');
		const home = mkdtempSync(path.join(os.tmpdir(), 'camtop-box-'));
		const boxEnv = {PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config')};
		const version = await run(camtop, ['--version'], {cwd: home, env: boxEnv});
		expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);

		// Exit 0 to 3 is the box's health (OK to UNKNOWN): this one may well be CRITICAL.
		const health = await run(camtop, ['health', '--json'], {cwd: home, env: boxEnv}).catch((error: unknown) => error as {code: number; stdout: string; stderr: string});
		expect('code' in health ? health.code : 0).toBeLessThanOrEqual(3);
		const report = JSON.parse(health.stdout) as Record<string, unknown>;
		for (const key of ['system_resources', 'redis_connection', 'process_status', 'log_files', 'recent_errors']) {
			expect(report).toHaveProperty(key);
		}
	}, PACK_TIMEOUT_MS);
});
