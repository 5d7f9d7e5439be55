/*
The two records camera_system.log carries as JSON after a prefix, in the seed's key order and spacing:

  ISSUE: {"issue_type": "thread_timeout", "message": "…", "severity": "WARNING", "count": 1, "uptime": 3600.5, "context": {}}
  CONNECTION: {"service": "redis", "status": true, "details": {"failures": 0}, "uptime": 3600.5}

An ISSUE is written at its severity (so errors.log has it too when that is ERROR or CRITICAL), a CONNECTION at INFO
when the service is up and WARNING when it is down. Each is written by its format* and read back by its read*, both
here: a change to a layout is made once, for both.
*/
import {isObject, parseJson} from './payload-json.js';
import {pythonJson, pythonNumber, pythonString} from './python-json.js';

export const ISSUE_PREFIX = 'ISSUE: ';
export const CONNECTION_PREFIX = 'CONNECTION: ';

export type IssueFields = {
	issueType: string;
	message: string;
	/** The level word the record is written at: WARNING, ERROR or CRITICAL. */
	severity: string;
	/** Issues of this type so far, this one included. */
	count: number;
	/** Since the writer started, seconds. */
	uptimeSeconds: number;
	/** Any JSON-able value; the seed's is an object. */
	context: unknown;
};

export type ConnectionFields = {
	service: string;
	status: boolean;
	/** Any JSON-able value; the seed's is an object with the service's `failures` so far. */
	details: unknown;
	uptimeSeconds: number;
};

export type IssueEvent = {issueType: string};
export type ConnectionEvent = {service: string; status: boolean};

/** The ISSUE record's message, prefix included. */
export function formatIssue(issue: IssueFields): string {
	return `${ISSUE_PREFIX}{"issue_type": ${pythonString(issue.issueType)}, "message": ${pythonString(issue.message)}, "severity": ${pythonString(issue.severity)}, `
		+ `"count": ${issue.count}, "uptime": ${pythonNumber(issue.uptimeSeconds)}, "context": ${pythonJson(issue.context)}}`;
}

/** The CONNECTION record's message, prefix included. */
export function formatConnection(connection: ConnectionFields): string {
	const status = connection.status ? 'true' : 'false';
	return `${CONNECTION_PREFIX}{"service": ${pythonString(connection.service)}, "status": ${status}, `
		+ `"details": ${pythonJson(connection.details)}, "uptime": ${pythonNumber(connection.uptimeSeconds)}}`;
}

export function isIssue(json: unknown): json is Record<string, unknown> & {issue_type: string} {
	return isObject(json) && typeof json.issue_type === 'string';
}

export function isConnection(json: unknown): json is Record<string, unknown> & {service: string; status: boolean} {
	return isObject(json) && typeof json.service === 'string' && typeof json.status === 'boolean';
}

/** The ISSUE payload at bytes[start, end), after the prefix; undefined when it is not an ISSUE's JSON. */
export function readIssue(bytes: Uint8Array, start: number, end: number): IssueEvent | undefined {
	const json = parseJson(bytes, start, end);
	return isIssue(json) ? {issueType: json.issue_type} : undefined;
}

/** The CONNECTION payload at bytes[start, end), after the prefix; undefined when it is not a CONNECTION's JSON. */
export function readConnection(bytes: Uint8Array, start: number, end: number): ConnectionEvent | undefined {
	const json = parseJson(bytes, start, end);
	return isConnection(json) ? {service: json.service, status: json.status} : undefined;
}

/** What an ISSUE record is about, as an operator names it and analyze counts it: `ISSUE thread_timeout`. */
export function issueName(issueType: string): string {
	return `ISSUE ${issueType}`;
}

/** What a CONNECTION record says, as an operator names it and analyze counts it: `CONNECTION redis down`. */
export function connectionName(service: string, status: boolean): string {
	return `CONNECTION ${service} ${status ? 'up' : 'down'}`;
}
