import {readFileSync} from 'node:fs';
import {UsageError} from '../base/usage-error.js';
import {describeError} from '../base/errors.js';
import type {FleetConfig} from '../config/types.js';
import {nonEmpty} from '../base/env.js';
import type {Credentials} from './prometheus-client.js';

/** A secret file's first line: a token or password file ends in a newline that is not part of it. */
function readSecret(file: string, what: string): string {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		throw new UsageError(`${what} ${file}: ${describeError(error)}`);
	}

	const secret = text.split(/\r?\n/)[0]!.trim();
	if (secret === '') {
		throw new UsageError(`${what} ${file} is empty`);
	}

	return secret;
}

/**
How to prove ourselves to Prometheus, from the environment (PROMETHEUS_TOKEN, PROMETHEUS_TOKEN_FILE, PROMETHEUS_USER
with PROMETHEUS_PASSWORD or PROMETHEUS_PASSWORD_FILE), else the config's files. Never from a flag: `ps` shows flags
to every user of the box.
*/
export function prometheusCredentials(env: NodeJS.ProcessEnv, fleet: FleetConfig): Credentials {
	const token = nonEmpty(env.PROMETHEUS_TOKEN);
	if (token !== undefined) {
		return {kind: 'bearer', token};
	}

	const tokenFile = nonEmpty(env.PROMETHEUS_TOKEN_FILE) ?? fleet.tokenFile;
	if (tokenFile !== undefined) {
		return {kind: 'bearer', token: readSecret(tokenFile, 'Prometheus token file')};
	}

	const user = nonEmpty(env.PROMETHEUS_USER) ?? fleet.user;
	if (user !== undefined) {
		const password = nonEmpty(env.PROMETHEUS_PASSWORD);
		const passwordFile = nonEmpty(env.PROMETHEUS_PASSWORD_FILE) ?? fleet.passwordFile;
		if (password === undefined && passwordFile === undefined) {
			throw new UsageError('PROMETHEUS_USER is set without a password: set PROMETHEUS_PASSWORD or PROMETHEUS_PASSWORD_FILE (or fleet.passwordFile)');
		}

		return {kind: 'basic', user, password: password ?? readSecret(passwordFile!, 'Prometheus password file')};
	}

	return {kind: 'none'};
}

/** The exporters' token (CAMTOP_EXPORT_TOKEN, CAMTOP_EXPORT_TOKEN_FILE, else fleet.exportTokenFile), for a box's /snapshot. */
export function exporterCredentials(env: NodeJS.ProcessEnv, fleet: FleetConfig): Credentials {
	const token = nonEmpty(env.CAMTOP_EXPORT_TOKEN);
	if (token !== undefined) {
		return {kind: 'bearer', token};
	}

	const file = nonEmpty(env.CAMTOP_EXPORT_TOKEN_FILE) ?? fleet.exportTokenFile;
	return file === undefined ? {kind: 'none'} : {kind: 'bearer', token: readSecret(file, 'exporter token file')};
}
