import {UsageError} from '../base/usage-error.js';
import {redactUrl} from '../text/redact.js';

const CAMERA_SCHEMES = new Set(['rtsp:', 'http:', 'https:', 'tcp:']);

/**
Type checks for the config file whose failures name the file and the field. Exported for source/alerts/parse.ts, which
checks `alerts` and `alertTargets` with it and names `file` in messages of its own.
*/
export class Checker {
	constructor(readonly file: string) {}

	fail(where: string, expected: string, value: unknown): never {
		const got = value === null ? 'null' : (Array.isArray(value) ? 'an array' : typeof value);
		throw new UsageError(`config ${this.file}: ${where === '' ? 'the top level' : where} must be ${expected}, got ${got}`);
	}

	object(value: unknown, where: string): Record<string, unknown> {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) {
			this.fail(where, 'an object', value);
		}

		return value as Record<string, unknown>;
	}

	array(value: unknown, where: string): unknown[] {
		if (!Array.isArray(value)) {
			this.fail(where, 'an array', value);
		}

		return value;
	}

	string(value: unknown, where: string): string {
		if (typeof value !== 'string' || value === '') {
			this.fail(where, 'a non-empty string', value);
		}

		return value;
	}

	number(value: unknown, where: string, min: number, max: number): number {
		if (typeof value !== 'number' || !Number.isFinite(value)) {
			this.fail(where, 'a number', value);
		}

		if (value < min || value > max) {
			throw new UsageError(`config ${this.file}: ${where} must be between ${min} and ${max}, got ${value}`);
		}

		return value;
	}

	/** A URL a camera probe knows how to ask: rtsp://, http(s):// (MJPEG stream or snapshot), tcp://host:port. */
	cameraUrl(url: string, where: string): void {
		let parsed: URL | undefined;
		try {
			parsed = new URL(url);
		} catch {}

		if (parsed === undefined || !CAMERA_SCHEMES.has(parsed.protocol) || (parsed.protocol === 'tcp:' && parsed.port === '')) {
			throw new UsageError(`config ${this.file}: ${where} must be an rtsp://, http://, https:// or tcp://host:port URL, got "${redactUrl(url, {hideUser: true})}"`);
		}
	}

	knownKeys(object: Record<string, unknown>, where: string, known: string[]): void {
		for (const key of Object.keys(object)) {
			if (!known.includes(key)) {
				throw new UsageError(`config ${this.file}: unknown field "${where === '' ? key : `${where}.${key}`}" (known: ${known.filter(name => name !== '$schema').join(', ')})`);
			}
		}
	}
}
