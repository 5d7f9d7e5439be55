// A camera app's logger in a separate process: appends records to a log at a steady rate and rotates it itself, so
// that no record is lost on disk (a rotation never falls between two writes). Every 10th record carries a 3-line
// traceback. Prints {records, lines} as JSON when done.
//
// node log-writer.mjs FILE RECORDS_PER_SECOND ROTATIONS ROTATE_EVERY_MS
// Rotations alternate: rename (logrotate `create`, Python's RotatingFileHandler), then copytruncate.
import {
	closeSync, copyFileSync, existsSync, ftruncateSync, openSync, renameSync, writeSync,
} from 'node:fs';

const [file, rateText, rotationsText, everyText] = process.argv.slice(2);
const rate = Number(rateText);
const rotations = Number(rotationsText);
const every = Number(everyText);
const TICK_MS = 10;
const perTick = Math.max(1, Math.round(rate * TICK_MS / 1000));

const open = () => openSync(file, 'a');
let fd = open();
let records = 0;
let lines = 0;
let rotated = 0;
let nextRotation = Date.now() + every;

const pad = (value, width = 2) => String(value).padStart(width, '0');
function stamp(date) {
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())},${pad(date.getMilliseconds(), 3)}`;
}

function shift() {
	for (let index = 4; index >= 1; index--) {
		if (existsSync(`${file}.${index}`)) {
			renameSync(`${file}.${index}`, `${file}.${index + 1}`);
		}
	}
}

function rotate() {
	shift();
	if (rotated % 2 === 0) {
		closeSync(fd);
		renameSync(file, `${file}.1`);
		fd = open();
	} else {
		copyFileSync(file, `${file}.1`);
		ftruncateSync(fd, 0);
	}

	rotated++;
}

const timer = setInterval(() => {
	let text = '';
	for (let index = 0; index < perTick; index++) {
		records++;
		text += `${stamp(new Date())} - camera_system - ERROR - fetch_image:${records} - record ${records} of the writer\n`;
		lines++;
		if (records % 10 === 0) {
			text += 'Traceback (most recent call last):\n  File "cam1_stream.py", line 1, in fetch_image\nConnectionError: refused\n';
			lines += 3;
		}
	}

	writeSync(fd, text);
	if (Date.now() >= nextRotation) {
		if (rotated >= rotations) {
			clearInterval(timer);
			closeSync(fd);
			process.stdout.write(JSON.stringify({records, lines}) + '\n');
			return;
		}

		rotate();
		nextRotation = Date.now() + every;
	}
}, TICK_MS);
