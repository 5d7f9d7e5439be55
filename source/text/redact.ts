/** Query parameters that carry secrets in Redis and camera URLs (ioredis reads `?password=` as an option). */
const SECRET_PARAMETERS = /^(?:password|pass|pwd|passwd|token|auth|secret|key|api_?key|access_token)$/i;

/**
The URL with its credentials replaced by `***`, so it can be shown, logged or put in JSON: the password, a user name
that stands alone (`redis://secret@host` may be one), and secret query parameters (`?password=`). Text that is not a
URL is returned as is. With `hideUser`, a user name beside a password is hidden too (`***:***@`): camera URLs, where
the user name is half of a camera's login.
*/
export function redactUrl(url: string, {hideUser = false}: {hideUser?: boolean} = {}): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		// Unparseable (a password with a raw `/` or `#`, say): hide all between the scheme and the last `@`.
		const start = url.indexOf('://');
		const at = url.lastIndexOf('@');
		return start !== -1 && at > start ? `${url.slice(0, start + 3)}***${url.slice(at)}` : url;
	}

	let changed = false;
	if (parsed.password !== '') {
		parsed.password = '***';
		if (hideUser && parsed.username !== '') {
			parsed.username = '***';
		}

		changed = true;
	} else if (parsed.username !== '') {
		parsed.username = '***';
		changed = true;
	}

	for (const key of parsed.searchParams.keys()) {
		if (SECRET_PARAMETERS.test(key)) {
			parsed.searchParams.set(key, '***');
			changed = true;
		}
	}

	return changed ? parsed.toString() : url;
}

/**
The secrets of a URL, decoded: its password, a lone user name, secret query parameters. To scrub from messages a
library may have built from the URL.
*/
export function urlSecrets(url: string): string[] {
	try {
		const parsed = new URL(url);
		const secrets = [parsed.password === '' ? parsed.username : parsed.password];
		for (const [key, value] of parsed.searchParams) {
			if (SECRET_PARAMETERS.test(key)) {
				secrets.push(value);
			}
		}

		return secrets.filter(secret => secret !== '').map(secret => safeDecode(secret));
	} catch {
		return [];
	}
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/**
`text` with every occurrence of each secret replaced by `***`: for error messages a library may have built from a URL.
*/
export function scrubSecrets(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets) {
		// A secret of one or two characters would blank out half the message: such a password is not worth hiding.
		if (secret.length >= 3) {
			result = result.replaceAll(secret, '***');
			const encoded = encodeURIComponent(secret);
			if (encoded !== secret) {
				result = result.replaceAll(encoded, '***');
			}
		}
	}

	return result;
}

// `--password x`, `-a x` (redis-cli), `--token x`: the word after such a flag is a secret.
const SECRET_FLAG = /^-{1,2}(?:a|p|password|pass|passwd|token|secret|auth|api-?key)$/i;
// `--password=x`, `password=x`, `REDIS_PASSWORD=x`.
const SECRET_ASSIGNMENT = /^(-{0,2}[\w.-]{0,40}(?:password|passwd|pass|pwd|token|secret|auth|apikey|api_key))=(.+)$/i;

/**
A process's command line with credentials hidden: URLs redacted word by word (camera URLs in ffmpeg arguments carry
`rtsp://admin:pass@…`), values of password flags and assignments replaced, and any known secret scrubbed.
*/
export function redactCommandLine(command: string, secrets: readonly string[] = []): string {
	const words = command.split(' ');
	for (let index = 0; index < words.length; index++) {
		const word = words[index]!;
		if (word.includes('://')) {
			words[index] = word.replaceAll(/[a-z][\w+.-]{0,15}:\/\/\S+/gi, url => redactUrl(url));
		} else if (SECRET_ASSIGNMENT.test(word)) {
			words[index] = word.replace(SECRET_ASSIGNMENT, '$1=***');
		} else if (SECRET_FLAG.test(word) && index + 1 < words.length) {
			words[index + 1] = '***';
			index++;
		}
	}

	return scrubSecrets(words.join(' '), secrets);
}
