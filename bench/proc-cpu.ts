import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';

/** Clock ticks per second of /proc's CPU times (getconf CLK_TCK: 100 on every Linux camtop runs on). */
export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim());

/**
CPU of a process from /proc/<pid>/stat, milliseconds: its own utime + stime (fields 14 and 15) and, with `children`,
the cutime + cstime of the children it waited for (fields 16 and 17: `ps` spawned by ps-list, say, which
process.cpuUsage() does not see). Fields are counted from the last `)`: the command name may hold spaces.
*/
export function procCpuMs(pid: number | 'self', {own = true, children = false}: {own?: boolean; children?: boolean} = {}): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const ticks = [...(own ? [14, 15] : []), ...(children ? [16, 17] : [])].reduce((sum, field) => sum + Number(fields[field - 3]), 0);
	return ticks * 1000 / CLK_TCK;
}
