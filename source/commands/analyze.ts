import path from 'node:path';
import type {Config} from '../config/load.js';
import {analyzeLogs} from '../logs/analyze.js';
import {logsInDirectory, type LogSource} from '../logs/plan.js';
import {describeError} from '../base/errors.js';
import {colorEnabled, createPaint} from '../text/colors.js';
import {analyzeJson, recentErrorsJson} from './analyze-json.js';
import {analyzeNdjson} from './analyze-ndjson.js';
import {analyzeReport, recentErrorsReport} from './analyze-report.js';

/** How many of the last ERROR records --recent-errors shows. */
export const RECENT_ERRORS = 50;

export type AnalyzeFlags = {
	files: string[];
	hours: number | undefined;
	recentErrors: boolean;
	json: boolean;
	/** One JSON object per record, streamed (analyze-ndjson.ts). */
	ndjson?: boolean;
};

/**
`camtop analyze`: the seed's log_analyzer.py. Returns the exit code: 0, or 1 when a log could not be read (each
such log gets one line on stderr; the others are reported all the same).
*/
export async function analyze(config: Config, flags: AnalyzeFlags, {stdout = process.stdout, stderr = process.stderr, cwd = process.cwd()} = {}): Promise<number> {
	let sources: LogSource[];
	try {
		sources = chooseSources(config, flags, cwd);
	} catch (error) {
		stderr.write(`camtop: ${config.logs}: ${describeError(error)}\n`);
		return 1;
	}

	if (sources.length === 0) {
		stderr.write(`camtop: no logs to analyse in ${config.logs}${flags.recentErrors ? ' (--recent-errors reads errors.log)' : ''}\n`);
		return 1;
	}

	if (flags.ndjson) {
		return analyzeNdjson({sources, hours: flags.hours, recentErrors: flags.recentErrors ? RECENT_ERRORS : 0}, {stdout, stderr});
	}

	const result = await analyzeLogs({sources, hours: flags.hours, recentErrors: flags.recentErrors ? RECENT_ERRORS : 0});
	if (flags.hours !== undefined && result.window === undefined) {
		stderr.write(`camtop: --hours ${flags.hours}: no record with a valid time in the files, so no window: all records are analysed\n`);
	}

	for (const log of result.logs) {
		for (const problem of log.problems) {
			stderr.write(`camtop: ${log.source.key}: ${problem}\n`);
		}
	}

	const paint = createPaint(colorEnabled(stdout));
	if (flags.recentErrors) {
		stdout.write(flags.json ? `${JSON.stringify(recentErrorsJson(result), null, 2)}\n` : recentErrorsReport(result, paint));
	} else {
		stdout.write(flags.json ? `${JSON.stringify(analyzeJson(result), null, 2)}\n` : analyzeReport(result, paint));
	}

	return result.logs.some(log => log.problems.length > 0) ? 1 : 0;
}

function chooseSources(config: Config, flags: AnalyzeFlags, cwd: string): LogSource[] {
	if (flags.files.length > 0) {
		return flags.files.map(file => ({key: file, files: [path.resolve(cwd, file)]}));
	}

	const sources = logsInDirectory(config.logs, config.legacyLog, cwd);
	// errors.log holds every error (camera_system.log repeats them): recent errors come from it alone.
	return flags.recentErrors ? sources.filter(source => path.basename(source.key) === 'errors.log') : sources;
}
