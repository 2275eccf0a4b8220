/**
 * Picks the mode for a parsed command line. Each mode is imported only when it runs.
 * Returns the process exit code (CLARIFICATIONS.md 4): 0 ok, 2 usage, 3 host key, 4 auth, 5 failure.
 */
import {suiteByName, type Suite} from '../crypto/suites.js';

export type CliFlags = {
	readonly host: string;
	readonly port: number;
	readonly data?: string | undefined;
	readonly signup: boolean;
	readonly plain: boolean;
	readonly json: boolean;
	readonly knownHosts?: string | undefined;
	readonly acceptNew: boolean;
	readonly fingerprint?: string | undefined;
	readonly suite?: string[] | undefined;
	readonly insecureTeaching: boolean;
	readonly showSecrets: boolean;
};

export class UsageError extends Error {
	override readonly name = 'UsageError';
}

/** HOST:PORT, [IPv6]:PORT; the port defaults to 6001. */
export function parseTarget(target: string | undefined): {host: string; port: number} {
	if (!target) throw new UsageError('connect needs HOST:PORT, for example 127.0.0.1:6001');
	const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(target) ?? /^([^:]+)(?::(\d+))?$/.exec(target);
	if (!match) throw new UsageError(`"${target}" is not HOST:PORT`);
	const port = match[2] === undefined ? 6001 : Number(match[2]);
	if (!Number.isInteger(port) || port < 1 || port > 65_535)
		throw new UsageError(`port ${match[2]} is not 1..65535`);
	return {host: match[1]!, port};
}

export function parsePort(port: number): number {
	if (!Number.isInteger(port) || port < 0 || port > 65_535)
		throw new UsageError(`--port ${port} is not 0..65535`);
	return port;
}

/** The suites named with --suite, or undefined for the defaults. */
export function chosenSuites(flags: CliFlags): number[] | undefined {
	if (!flags.suite || flags.suite.length === 0) return undefined;
	return flags.suite.map((name) => {
		const suite: Suite | undefined = suiteByName(name);
		if (!suite) throw new UsageError(`unknown suite "${name}"`);
		return suite.id;
	});
}

export function checkFingerprint(fingerprint: string | undefined): void {
	if (fingerprint !== undefined && !/^SHA256:[A-Za-z0-9+/]{43}$/.test(fingerprint)) {
		throw new UsageError(
			`--fingerprint must look like SHA256:<43 base64 characters>, got "${fingerprint}"`,
		);
	}
}

/** Plain mode when asked, or when standard output is not a terminal. */
export function wantsPlain(flags: CliFlags): boolean {
	return flags.plain || flags.json || !process.stdout.isTTY;
}

export async function runCommand(
	command: string | undefined,
	rest: readonly string[],
	flags: CliFlags,
	showHelp: () => void,
): Promise<number> {
	try {
		switch (command) {
			case 'serve': {
				if (rest.length > 0)
					throw new UsageError(`serve takes no arguments, got "${rest.join(' ')}"`);
				parsePort(flags.port);
				if (wantsPlain(flags)) {
					const {servePlain} = await import('./serve-plain.js');
					return await servePlain(flags);
				}

				const {serveScreen} = await import('./screens.js');
				return await serveScreen(flags);
			}

			case 'connect': {
				if (rest.length !== 1) throw new UsageError('connect takes exactly one HOST:PORT');
				const target = parseTarget(rest[0]);
				checkFingerprint(flags.fingerprint);
				if (wantsPlain(flags)) {
					const {connectPlain} = await import('./connect-plain.js');
					return await connectPlain(target, flags);
				}

				const {connectScreen} = await import('./screens.js');
				return await connectScreen(target, flags);
			}

			case 'demo': {
				const {demoScreen} = await import('./screens.js');
				return await demoScreen(flags);
			}

			case 'lab': {
				const {runLab} = await import('./lab.js');
				return await runLab(rest[0], flags);
			}

			case 'fingerprint': {
				const {printFingerprints} = await import('./fingerprint.js');
				return printFingerprints(flags);
			}

			case 'accounts': {
				const {accountsCommand} = await import('./accounts.js');
				return await accountsCommand(rest, flags);
			}

			case undefined: {
				showHelp();
				return 2;
			}

			default: {
				throw new UsageError(`unknown command "${command}"; try securebank --help`);
			}
		}
	} catch (error) {
		if (error instanceof UsageError) {
			process.stderr.write(`securebank: ${error.message}\n`);
			return 2;
		}

		throw error;
	}
}
