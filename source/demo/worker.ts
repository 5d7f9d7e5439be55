// One of the demo camera box's processes. It takes the name of a process of the seed's camera app (cam1_stream.py,
// start.py, client.py) as its title, so camtop's default watched-process config finds it, and does a little work so
// that it shows some CPU. With --crash-after MS it exits with status 1 that long after starting: the crash-looping
// worker of `camtop demo --chaos`, which the demo starts again each time.
import process from 'node:process';

const role = process.argv[2] ?? 'worker';
const crashAfter = Number(process.argv[process.argv.indexOf('--crash-after') + 1] ?? Number.NaN);
// The title replaces the command line that `ps` and /proc/<pid>/cmdline show: `cam1_stream.py --demo`.
process.title = `${role} --demo`;

let checksum = 0;
setInterval(() => {
	// About a millisecond of work a second.
	for (let index = 0; index < 100_000; index++) {
		checksum = (checksum + index) % 65_521;
	}
}, 1000);

if (Number.isFinite(crashAfter) && process.argv.includes('--crash-after')) {
	setTimeout(() => {
		process.stderr.write(`${role}: simulated crash (checksum ${checksum})\n`);
		// eslint-disable-next-line unicorn/no-process-exit -- this worker is a process of its own, and crashing is its job
		process.exit(1);
	}, crashAfter);
}

// The demo stops its workers with SIGTERM; the parent going away must not leave them behind.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
