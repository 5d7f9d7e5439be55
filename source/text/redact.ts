/**
The URL with its password replaced by `***`, so it can be shown, logged or put in JSON. Text that is not a URL is returned as is.
*/
export function redactUrl(url: string): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		// Unparseable (a password with a raw `/` or `#`, say): hide all between the scheme and the last `@`.
		const start = url.indexOf('://');
		const at = url.lastIndexOf('@');
		return start !== -1 && at > start ? `${url.slice(0, start + 3)}***${url.slice(at)}` : url;
	}

	if (parsed.password === '') {
		return url;
	}

	parsed.password = '***';
	return parsed.toString();
}

/**
The password of a URL (decoded), or undefined when it has none.
*/
export function urlPassword(url: string): string | undefined {
	try {
		const {password} = new URL(url);
		return password === '' ? undefined : decodeURIComponent(password);
	} catch {
		return undefined;
	}
}

/**
`text` with every occurrence of each secret replaced by `***`: for error messages a library may have built from a URL.
*/
export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
	let result = text;
	for (const secret of secrets) {
		if (secret) {
			result = result.replaceAll(secret, '***');
			const encoded = encodeURIComponent(secret);
			if (encoded !== secret) {
				result = result.replaceAll(encoded, '***');
			}
		}
	}

	return result;
}
