/**
 * `securebank serve --plain`: one log line per event on standard error, without secrets (unless
 * --show-secrets), until SIGINT or SIGTERM stops it gracefully.
 */
import {formatCents} from '../bank/money.js';
import type {ServerActivity} from '../net/api.js';
import {type LocalHostKey} from '../protocol/host-key-algorithms.js';
import {startBankServer} from '../net/bank-server.js';
import {formatEvent} from './format-event.js';
import {serverDataDirectory} from './paths.js';
import {chosenSuites, type CliFlags} from './run.js';

export function formatActivity(activity: ServerActivity): string | undefined {
	switch (activity.type) {
		case 'connection-event': {
			const line = formatEvent(activity.event);
			return line === undefined ? undefined : `#${activity.connectionId} ${activity.peer} ${line}`;
		}

		case 'session-update': {
			return undefined;
		}

		case 'ledger': {
			const {activity: entry} = activity;
			const amount = entry.amountCents === undefined ? '' : ` ${formatCents(entry.amountCents)}`;
			const balance =
				entry.balanceAfterCents === undefined
					? ''
					: ` balance ${formatCents(entry.balanceAfterCents)}`;
			return `#${entry.connectionId} ledger ${entry.ok ? '✓' : '✗'} ${entry.account} ${entry.kind}${amount}${balance}: ${entry.detail}`;
		}
	}
}

export async function servePlain(flags: CliFlags): Promise<number> {
	const dataDirectory = serverDataDirectory(flags.data);
	const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
	const suites = chosenSuites(flags);
	let server;
	try {
		server = await startBankServer({
			host: flags.host,
			port: flags.port,
			dataDirectory,
			allowSignup: flags.signup,
			showSecrets: flags.showSecrets,
			allowInsecure: flags.insecureTeaching,
			...(suites ? {suites} : {}),
			...(flags.insecureTeaching ? await teachingServerExtras(dataDirectory, suites) : {}),
		});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		log(
			`cannot start: ${code === 'EADDRINUSE' ? `${flags.host}:${flags.port} is already in use` : (error as Error).message}`,
		);
		return 5;
	}

	server.subscribe((activity) => {
		const line = formatActivity(activity);
		if (line) log(line);
	});
	log(
		`securebank serving on ${server.address}, data in ${dataDirectory}${flags.signup ? ', signup open' : ''}`,
	);
	for (const type of server.createdHostKeys) log(`created ${type} host key`);
	for (const key of server.hostKeys) log(`host key ${key.type} ${key.fingerprint}`);
	await new Promise<void>((resolve) => {
		const stop = (signal: string) => {
			log(`${signal}: stopping (finishing in-flight operations)`);
			resolve();
		};

		process.once('SIGINT', () => stop('SIGINT'));
		process.once('SIGTERM', () => stop('SIGTERM'));
	});
	await server.stop();
	log('stopped');
	return 0;
}

/** The teaching suite's host key and suite list, loaded only when asked for. */
export async function teachingServerExtras(
	dataDirectory: string,
	suites: number[] | undefined,
): Promise<{
	extraHostKeys: LocalHostKey[];
	suites: number[];
}> {
	const {teachingServerSetup} = await import('../net/teaching-host-key.js');
	return teachingServerSetup(dataDirectory, suites);
}
