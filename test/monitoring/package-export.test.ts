import {execFile} from 'node:child_process';
import {
	copyFileSync, mkdirSync, readFileSync, writeFileSync,
} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import {readRecords, temporaryDirectory} from './read-back.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const run = promisify(execFile);

const CONSUMER_TS = `import {createMonitor, type Monitor, type MonitorOptions} from 'camtop/monitoring';

const options: MonitorOptions = {logsDir: 'logs', legacyLog: null, level: 'WARNING', handleSignals: false};
const monitor: Monitor = createMonitor(options);
const answer: number = monitor.timed('step', () => 42);
const later: Promise<string> = monitor.timed('step', async () => 'done');
// @ts-expect-error -- the level is checked: the types were found, not taken as any.
createMonitor({level: 'LOUD'});
void answer;
void later;
`;

const CONSUMER_JS = `import {createMonitor} from 'camtop/monitoring';

const monitor = createMonitor({logsDir: process.argv[2], legacyLog: null, handleSignals: false});
monitor.info('hello from a package that depends on camtop');
await monitor.shutdown();
`;

/**
A project that depends on camtop, laid out as npm would install it: node_modules/camtop holding the files the tarball
holds (`npm pack`'s list, from the build `npm test` makes first), and nothing else: camtop/monitoring is one bundled
file that needs no dependency at run time.
*/
describe('import {createMonitor} from \'camtop/monitoring\'', () => {
	it('resolves through the exports map, for Node and for TypeScript, needing no other package', async () => {
		const project = temporaryDirectory('camtop-consumer-');
		const installed = path.join(project, 'node_modules', 'camtop');
		const {stdout: packed} = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: ROOT});
		const [{files}] = JSON.parse(packed) as [{files: Array<{path: string}>}];
		for (const {path: file} of files) {
			mkdirSync(path.dirname(path.join(installed, file)), {recursive: true});
			copyFileSync(path.join(ROOT, file), path.join(installed, file));
		}

		writeFileSync(path.join(project, 'package.json'), JSON.stringify({name: 'consumer', private: true, type: 'module'}));
		writeFileSync(path.join(project, 'app.mjs'), CONSUMER_JS);
		const logsDir = path.join(project, 'logs');
		await run(process.execPath, [path.join(project, 'app.mjs'), logsDir], {cwd: project});
		expect(readRecords(path.join(logsDir, 'camera_system.log')).map(record => record.header.message)[0]).toBe('hello from a package that depends on camtop');

		writeFileSync(path.join(project, 'check.ts'), CONSUMER_TS);
		writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({
			compilerOptions: {
				module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [path.join(ROOT, 'node_modules', '@types')],
			},
			files: ['check.ts'],
		}));
		const typecheck = await run(process.execPath, [TSC, '-p', path.join(project, 'tsconfig.json')], {cwd: project}).catch((error: unknown) => error as {stdout: string});
		expect(typecheck.stdout).toBe('');
		expect(JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')).exports['./monitoring']).toEqual({types: './dist/monitoring/index.d.ts', default: './dist/monitoring.mjs'});
	});
});
