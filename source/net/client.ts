/**
 * The client side of the network: connect, drive the handshake, decide host-key trust the way
 * OpenSSH does (known_hosts, a pinned fingerprint, accept-new, or ask), resolve to a session.
 *
 * One short linear function, after js-libp2p-noise's performHandshake; failures carry the stage.
 */
import {connect as netConnect} from 'node:net';
import {ClientConnection} from '../protocol/client-handshake.js';
import {HostKeyRejectedError, type ProtocolError} from '../protocol/errors.js';
import type {EventOf, ProtocolEvent, TrustStatus} from '../protocol/events.js';
import {hostKeyAlgorithm} from '../protocol/host-key-algorithms.js';
import {DEFAULT_SUITE_IDS, suiteById} from '../crypto/suites.js';
import type {ConnectOptions, SessionInfo} from './api.js';
import {addKnownHost, hostPattern, lookupHostKey, readKnownHosts} from './known-hosts.js';
import {SocketChannel} from './socket-channel.js';

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;

/** Why a connection failed, with the exit code CLARIFICATIONS.md 4 gives it. */
export class ConnectError extends Error {
	override readonly name = 'ConnectError';
	constructor(
		message: string,
		readonly exitCode: 3 | 5,
		readonly code: string,
	) {
		super(message);
	}
}

export type ClientSession = {
	readonly info: SessionInfo;
	readonly channel: SocketChannel;
	send(data: Uint8Array): void;
	/** Replaces the listener for application data. */
	onData(listener: (data: Uint8Array) => void): void;
	close(reason?: string): void;
	readonly closed: Promise<string>;
};

type TrustDecision = {accept: boolean; status: TrustStatus; event: EventOf<'trust'>};

function decideKnownHost(
	options: ConnectOptions,
	host: string,
	key: {type: string; fingerprint: string; publicKeyBytes: Buffer},
	algorithm: ReturnType<typeof hostKeyAlgorithm>,
): TrustDecision | 'ask' {
	const base = {
		type: 'trust' as const,
		role: 'client' as const,
		host,
		keyType: key.type,
		fingerprint: key.fingerprint,
		knownHostsFile: options.knownHostsFile,
	};
	if (options.fingerprint) {
		const accept = options.fingerprint === key.fingerprint;
		return {
			accept,
			status: accept ? 'pinned' : 'rejected',
			event: {
				...base,
				status: accept ? 'pinned' : 'rejected',
				knownFingerprint: options.fingerprint,
				detail: accept
					? 'host key matches the pinned fingerprint'
					: `host key ${key.fingerprint} does not match the pinned fingerprint ${options.fingerprint}`,
			},
		};
	}

	const lookup = lookupHostKey(options.knownHostsFile, host, algorithm, key.publicKeyBytes);
	if (lookup.status === 'known') {
		return {
			accept: true,
			status: 'known',
			event: {
				...base,
				status: 'known',
				knownHostsLine: lookup.entry.line,
				detail: `host key matches ${options.knownHostsFile}:${lookup.entry.line}`,
			},
		};
	}

	if (lookup.status === 'changed') {
		return {
			accept: false,
			status: 'changed',
			event: {
				...base,
				status: 'changed',
				knownFingerprint: lookup.entry.fingerprint,
				knownHostsLine: lookup.entry.line,
				detail: `REMOTE HOST IDENTIFICATION HAS CHANGED! ${host} presented ${key.type} key ${key.fingerprint}, but ${options.knownHostsFile}:${lookup.entry.line} holds ${lookup.entry.fingerprint}. Someone could be eavesdropping on you right now (man-in-the-middle), or the host key was replaced. Remove line ${lookup.entry.line} only if you know the key changed.`,
			},
		};
	}

	const others = readKnownHosts(options.knownHostsFile).filter(
		(entry) => entry.host === host && entry.keyName !== algorithm.knownHostsName,
	);
	if (others.length > 0) {
		const known = others
			.map((entry) => `${entry.keyName} at ${options.knownHostsFile}:${entry.line}`)
			.join(', ');
		return {
			accept: false,
			status: 'rejected',
			event: {
				...base,
				status: 'rejected',
				knownFingerprint: others[0]!.fingerprint,
				knownHostsLine: others[0]!.line,
				detail: `${host} presented a ${algorithm.knownHostsName} key ${key.fingerprint}, but only other key types are known for it (${known}). A man in the middle could choose a suite whose key type you have not seen; connect with --fingerprint to pin the new key if you expected it.`,
			},
		};
	}

	return 'ask';
}

/**
 * Like OpenSSH's host key algorithm ordering: suites whose host key type is already known for this
 * host come first, so the genuine server keeps presenting the key we can check.
 */
export function preferKnownKeyTypes(
	suites: readonly number[],
	knownHostsFile: string,
	host: string,
): number[] {
	const known = new Set(
		readKnownHosts(knownHostsFile)
			.filter((entry) => entry.host === host)
			.map((entry) => entry.keyName),
	);
	if (known.size === 0) return [...suites];
	const isKnown = (id: number) => {
		const suite = suiteById(id);
		if (!suite) return false;
		try {
			return known.has(hostKeyAlgorithm(suite.hostKey).knownHostsName);
		} catch {
			return false;
		}
	};

	return [...suites.filter((id) => isKnown(id)), ...suites.filter((id) => !isKnown(id))];
}

/** Connects, completes the handshake and resolves to a session; rejects with a ConnectError. */
export async function connect(options: ConnectOptions): Promise<ClientSession> {
	const emit = (event: ProtocolEvent) => options.onEvent?.(event);
	const host = hostPattern(options.host, options.port);
	const machine = new ClientConnection({
		suites: preferKnownKeyTypes(options.suites ?? DEFAULT_SUITE_IDS, options.knownHostsFile, host),
		allowInsecure: options.allowInsecure ?? false,
		showSecrets: options.showSecrets ?? false,
		observe: options.onEvent !== undefined,
	});
	const peer = `${options.host}:${options.port}`;
	emit({type: 'connection', role: 'client', state: 'connecting', peer});
	const started = performance.now();

	const socket = netConnect({host: options.host, port: options.port});
	let trustStatus: TrustStatus = 'new';
	let failure: ProtocolError | undefined;
	let completed: EventOf<'handshake-complete'> | undefined;

	return new Promise<ClientSession>((resolve, reject) => {
		let settled = false;
		const fail = (error: ConnectError) => {
			if (settled) return;
			settled = true;
			reject(error);
		};

		const decideTrust = async (event: EventOf<'trust-needed'>) => {
			const key = machine.hostKey!;
			const algorithm = hostKeyAlgorithm(key.type);
			let decision = decideKnownHost(options, host, key, algorithm);
			if (decision === 'ask') {
				const base = {
					type: 'trust' as const,
					role: 'client' as const,
					host,
					keyType: key.type,
					fingerprint: key.fingerprint,
					knownHostsFile: options.knownHostsFile,
				};
				let accept = false;
				let how = '';
				if (options.acceptNew) {
					accept = true;
					how = 'accepted because of --accept-new';
				} else if (options.decideUnknownHost) {
					emit({
						...base,
						status: 'new',
						detail: `the authenticity of host ${host} can't be established: ${key.type} key fingerprint is ${event.fingerprint}`,
					});
					channel.suspendHandshakeDeadline();
					try {
						accept = await options.decideUnknownHost({
							host,
							keyType: key.type,
							fingerprint: key.fingerprint,
							knownHostsFile: options.knownHostsFile,
						});
					} catch {
						accept = false;
					}

					how = accept ? 'accepted by the user' : 'refused by the user';
				} else {
					how =
						'unknown host key: pass --accept-new to trust it on first use, or --fingerprint to pin it';
				}

				let line: number | undefined;
				if (accept)
					line = addKnownHost(options.knownHostsFile, host, algorithm, key.publicKeyBytes);
				decision = {
					accept,
					status: accept ? 'accepted' : 'rejected',
					event: {
						...base,
						status: accept ? 'accepted' : 'rejected',
						...(line ? {knownHostsLine: line} : {}),
						detail: accept ? `${how}; added to ${options.knownHostsFile}:${line}` : how,
					},
				};
			}

			trustStatus = decision.status === 'accepted' ? 'new' : decision.status;
			emit(decision.event);
			if (channel.closed) return;
			channel.startHandshakeDeadline();
			channel.apply(machine.decideTrust(decision.accept, decision.event.detail));
		};

		const channel = new SocketChannel(socket, machine, {
			handshakeTimeoutMs: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
			idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
			onEvent(event) {
				emit(event);
				switch (event.type) {
					case 'trust-needed': {
						void decideTrust(event);
						break;
					}

					case 'handshake-complete': {
						completed = event;
						emit({
							type: 'timing',
							role: 'client',
							what: 'handshake',
							milliseconds: performance.now() - started,
						});
						if (!settled) {
							settled = true;
							resolve(session);
						}

						break;
					}

					default: {
						break;
					}
				}
			},
			onClose(reason) {
				failure = machine.error;
				const rejected = failure instanceof HostKeyRejectedError;
				fail(
					new ConnectError(failure?.message ?? reason, rejected ? 3 : 5, failure?.code ?? 'closed'),
				);
			},
		});

		socket.once('connect', () => {
			emit({type: 'connection', role: 'client', state: 'connected', peer});
			channel.apply(machine.start());
		});
		socket.once('error', (error: NodeJS.ErrnoException) => {
			if (!settled && machine.state === 'handshaking' && !socket.remoteAddress) {
				emit({type: 'connection', role: 'client', state: 'refused', peer, detail: error.message});
			}
		});

		const session: ClientSession = {
			get info(): SessionInfo {
				return {
					peer,
					suite: completed!.suite,
					hostKeyType: machine.hostKey!.type,
					hostKeyFingerprint: completed!.hostKeyFingerprint,
					trust: trustStatus,
					forwardSecrecy: completed!.forwardSecrecy,
					insecure: completed!.insecure,
				};
			},
			channel,
			send: (data) => channel.send(data),
			onData(listener) {
				channel.onData = listener;
			},
			close: (reason) => channel.close(reason),
			closed: channel.whenClosed(),
		};
	});
}
