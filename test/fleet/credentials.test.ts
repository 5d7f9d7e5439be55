import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	afterAll, describe, expect, it,
} from 'vitest';
import {exporterCredentials, prometheusCredentials} from '../../source/fleet/credentials.js';
import {DEFAULTS, type FleetConfig} from '../../source/config/types.js';
import {UsageError} from '../../source/base/usage-error.js';

const directory = mkdtempSync(path.join(os.tmpdir(), 'camtop-credentials-'));
afterAll(() => {
	rmSync(directory, {recursive: true, force: true});
});

/** A real secret file, as an operator writes one: with the editor's trailing newline. */
function secretFile(name: string, text: string): string {
	const file = path.join(directory, name);
	writeFileSync(file, text, {mode: 0o600});
	return file;
}

const fleet = (changes: Partial<FleetConfig> = {}): FleetConfig => ({...DEFAULTS.fleet, ...changes});

describe('prometheusCredentials', () => {
	it('sends nothing when nothing is set', () => {
		expect(prometheusCredentials({}, fleet())).toEqual({kind: 'none'});
	});

	it('takes PROMETHEUS_TOKEN before any file', () => {
		const file = secretFile('token-ignored', 'from-file\n');
		expect(prometheusCredentials({PROMETHEUS_TOKEN: 'from-env', PROMETHEUS_TOKEN_FILE: file}, fleet({tokenFile: file}))).toEqual({kind: 'bearer', token: 'from-env'});
	});

	it('reads a token file\'s first line, without its newline', () => {
		const file = secretFile('token', 'eyJhbGciOi.token\r\nsecond line\n');
		expect(prometheusCredentials({PROMETHEUS_TOKEN_FILE: file}, fleet())).toEqual({kind: 'bearer', token: 'eyJhbGciOi.token'});
	});

	it('uses the config\'s token file when the environment has none, or has it empty', () => {
		const file = secretFile('token-config', 'from-config\n');
		expect(prometheusCredentials({}, fleet({tokenFile: file}))).toEqual({kind: 'bearer', token: 'from-config'});
		expect(prometheusCredentials({PROMETHEUS_TOKEN: '', PROMETHEUS_TOKEN_FILE: ''}, fleet({tokenFile: file}))).toEqual({kind: 'bearer', token: 'from-config'});
	});

	it('takes basic auth with a password from the environment or from a file', () => {
		expect(prometheusCredentials({PROMETHEUS_USER: 'camtop', PROMETHEUS_PASSWORD: 'hunter2'}, fleet())).toEqual({kind: 'basic', user: 'camtop', password: 'hunter2'});
		const file = secretFile('password', 'correct horse\n');
		expect(prometheusCredentials({PROMETHEUS_USER: 'camtop', PROMETHEUS_PASSWORD_FILE: file}, fleet())).toEqual({kind: 'basic', user: 'camtop', password: 'correct horse'});
		expect(prometheusCredentials({}, fleet({user: 'ops', passwordFile: file}))).toEqual({kind: 'basic', user: 'ops', password: 'correct horse'});
	});

	it('prefers a token to basic auth', () => {
		expect(prometheusCredentials({PROMETHEUS_TOKEN: 't', PROMETHEUS_USER: 'camtop', PROMETHEUS_PASSWORD: 'p'}, fleet())).toEqual({kind: 'bearer', token: 't'});
	});

	it('refuses a user without a password', () => {
		expect(() => prometheusCredentials({PROMETHEUS_USER: 'camtop'}, fleet())).toThrow(UsageError);
		expect(() => prometheusCredentials({PROMETHEUS_USER: 'camtop', PROMETHEUS_PASSWORD: ''}, fleet())).toThrow(/PROMETHEUS_USER is set without a password/);
	});

	const missingToken = path.join(directory, 'missing');
	const emptyToken = secretFile('empty', '\n');
	const missingPassword = path.join(directory, 'no-password');
	it.each([
		['a token file that does not exist', {PROMETHEUS_TOKEN_FILE: missingToken}, `Prometheus token file ${missingToken}`],
		['an empty token file', {PROMETHEUS_TOKEN_FILE: emptyToken}, `Prometheus token file ${emptyToken} is empty`],
		['a password file that does not exist', {PROMETHEUS_USER: 'camtop', PROMETHEUS_PASSWORD_FILE: missingPassword}, `Prometheus password file ${missingPassword}`],
	] as Array<[string, NodeJS.ProcessEnv, string]>)('refuses %s, naming it', (_what, env, message) => {
		expect(() => prometheusCredentials(env, fleet())).toThrow(UsageError);
		expect(() => prometheusCredentials(env, fleet())).toThrow(message);
	});
});

describe('exporterCredentials', () => {
	it('takes CAMTOP_EXPORT_TOKEN before its file, and the config\'s file when the environment has none', () => {
		const file = secretFile('export-token', 'exporter-secret\n');
		expect(exporterCredentials({}, fleet())).toEqual({kind: 'none'});
		expect(exporterCredentials({CAMTOP_EXPORT_TOKEN: 'env', CAMTOP_EXPORT_TOKEN_FILE: file}, fleet())).toEqual({kind: 'bearer', token: 'env'});
		expect(exporterCredentials({CAMTOP_EXPORT_TOKEN_FILE: file}, fleet())).toEqual({kind: 'bearer', token: 'exporter-secret'});
		expect(exporterCredentials({CAMTOP_EXPORT_TOKEN: ''}, fleet({exportTokenFile: file}))).toEqual({kind: 'bearer', token: 'exporter-secret'});
	});

	it('refuses a missing or empty token file, naming it', () => {
		const missing = path.join(directory, 'no-export-token');
		expect(() => exporterCredentials({}, fleet({exportTokenFile: missing}))).toThrow(`exporter token file ${missing}`);
		const empty = secretFile('export-empty', '');
		expect(() => exporterCredentials({CAMTOP_EXPORT_TOKEN_FILE: empty}, fleet())).toThrow(`exporter token file ${empty} is empty`);
	});
});
