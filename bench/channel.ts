/**
 * Issue 2, the secure channel: securebank against node:tls (TLS 1.3, Ed25519 certificate, X25519,
 * ChaCha20-Poly1305) and, for round trips, plain TCP. Every server runs in a child process of its
 * own (./server-child.ts); the clients run in this process. Measurements alternate ours/peer in
 * rounds and every figure is a median over the rounds (or over batches, for round trips).
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ServerChild} from './child.js';
import {
	describePeers,
	naivePinger,
	securebankDialer,
	securebankPinger,
	tcpDialer,
	tcpPinger,
	tlsDialer,
	tlsPinger,
	type Dialer,
} from './clients.js';
import {interleavedRoundTrips, runCount, runForDuration} from './drivers.js';
import type {BenchOptions} from './options.js';
import {median, sleep} from './stats.js';
import {makeEd25519Certificate} from './tls-certificate.js';

export type ChannelServers = {
	readonly securebank: ServerChild;
	readonly tls: ServerChild;
	readonly tcp: ServerChild;
	/** The minimal JavaScript record layer (naive-records.ts), for round trips only. */
	readonly naive: ServerChild;
	readonly oursDialer: Dialer;
	readonly peerDialer: Dialer;
	readonly certificate: ReturnType<typeof makeEd25519Certificate>;
	readonly scratchDirectory: string;
	/** What each side negotiated, checked once at start. */
	readonly descriptions: readonly string[];
	stop(): Promise<void>;
};

export async function startChannelServers(options: BenchOptions): Promise<ChannelServers> {
	const certificate = makeEd25519Certificate();
	const scratchDirectory = mkdtempSync(path.join(tmpdir(), 'securebank-bench-'));
	const childOptions = options.profileServerDirectory
		? {profileDirectory: options.profileServerDirectory}
		: {};
	const [securebank, tls, tcp, naive] = await Promise.all([
		ServerChild.start('securebank', {type: 'listen-securebank'}, childOptions),
		ServerChild.start(
			'tls',
			{type: 'listen-tls', keyPem: certificate.keyPem, certPem: certificate.certPem},
			childOptions,
		),
		ServerChild.start('tcp', {type: 'listen-tcp'}, childOptions),
		ServerChild.start('naive', {type: 'listen-naive'}, childOptions),
	]);
	const descriptions = await describePeers(
		securebank.port,
		securebank.fingerprint!,
		scratchDirectory,
		tls.port,
		certificate,
	);
	return {
		securebank,
		tls,
		tcp,
		naive,
		descriptions,
		certificate,
		scratchDirectory,
		oursDialer: securebankDialer(securebank.port, securebank.fingerprint!, scratchDirectory),
		peerDialer: tlsDialer(tls.port, certificate),
		async stop() {
			await Promise.all([securebank.stop(), tls.stop(), tcp.stop(), naive.stop()]);
			rmSync(scratchDirectory, {recursive: true, force: true});
		},
	};
}

/** One side's medians over the rounds. */
export type HandshakeSide = {
	readonly perSecond: number;
	readonly p50Ms: number;
	/** Server CPU per handshake during the timed runs (a cross-check of the fixed-count figure). */
	readonly serverMicrosPerHandshake: number;
	readonly perSecondByRound: readonly number[];
};

export type HandshakeFigures = {
	readonly concurrency: number;
	readonly ours: HandshakeSide;
	readonly peer: HandshakeSide;
};

type RoundSample = {perSecond: number; p50Ms: number; serverMicros: number};

async function timedHandshakes(
	server: ServerChild,
	dialer: Dialer,
	concurrency: number,
	durationMs: number,
	label: string,
): Promise<RoundSample> {
	const cpuBefore = await server.cpuMicros();
	const run = await runForDuration(dialer, concurrency, durationMs, label);
	const cpuAfter = await server.cpuMicros();
	return {
		perSecond: run.perSecond,
		p50Ms: median(run.latencies),
		serverMicros: (cpuAfter - cpuBefore) / run.operations,
	};
}

function summarize(samples: readonly RoundSample[]): HandshakeSide {
	return {
		perSecond: median(samples.map((sample) => sample.perSecond)),
		p50Ms: median(samples.map((sample) => sample.p50Ms)),
		serverMicrosPerHandshake: median(samples.map((sample) => sample.serverMicros)),
		perSecondByRound: samples.map((sample) => sample.perSecond),
	};
}

/** Full handshakes per second and p50 latency, ours and node:tls's, alternating each round. */
export async function benchHandshakes(
	servers: ChannelServers,
	options: BenchOptions,
	concurrency: number,
	log: (line: string) => void,
): Promise<HandshakeFigures> {
	await runForDuration(servers.oursDialer, concurrency, options.warmUpMs, 'securebank warm-up');
	await runForDuration(servers.peerDialer, concurrency, options.warmUpMs, 'node:tls warm-up');
	const ours: RoundSample[] = [];
	const peer: RoundSample[] = [];
	for (let round = 0; round < options.rounds; round++) {
		const order = round % 2 === 0 ? (['ours', 'peer'] as const) : (['peer', 'ours'] as const);
		for (const side of order) {
			if (side === 'ours')
				ours.push(
					await timedHandshakes(
						servers.securebank,
						servers.oursDialer,
						concurrency,
						options.measureMs,
						'securebank handshakes',
					),
				);
			else
				peer.push(
					await timedHandshakes(
						servers.tls,
						servers.peerDialer,
						concurrency,
						options.measureMs,
						'node:tls handshakes',
					),
				);
		}

		log(
			`  handshakes x${concurrency} round ${round + 1}: securebank ${Math.round(ours.at(-1)!.perSecond)}/s, node:tls ${Math.round(peer.at(-1)!.perSecond)}/s`,
		);
	}

	return {concurrency, ours: summarize(ours), peer: summarize(peer)};
}

export type CpuFigures = {
	/** Server child CPU (user + system) per handshake, µs: medians over the repeats. */
	readonly oursServerMicros: number;
	readonly peerServerMicros: number;
	/** This process's CPU per handshake, µs: the clients'. */
	readonly oursClientMicros: number;
	readonly peerClientMicros: number;
	/** The plain TCP echo server's CPU per connect + close: node:net's floor, for scale. */
	readonly tcpServerMicros: number;
	readonly handshakes: number;
};

async function cpuPerHandshake(
	server: ServerChild,
	dialer: Dialer,
	total: number,
	concurrency: number,
	label: string,
): Promise<{server: number; client: number}> {
	await sleep(100);
	const serverBefore = await server.cpuMicros();
	const clientBefore = process.cpuUsage();
	await runCount(dialer, concurrency, total, label);
	const client = process.cpuUsage(clientBefore);
	// The last connections' teardown in the server.
	await sleep(50);
	const serverAfter = await server.cpuMicros();
	return {
		server: (serverAfter - serverBefore) / total,
		client: (client.user + client.system) / total,
	};
}

/** Server CPU per handshake over a fixed number of handshakes by `concurrency` clients. */
export async function benchServerCpu(
	servers: ChannelServers,
	options: BenchOptions,
	log: (line: string) => void,
): Promise<CpuFigures> {
	const {concurrency, cpuHandshakes: total} = options;
	// Warm both servers' JIT first, outside the window.
	await runCount(servers.oursDialer, concurrency, Math.min(total, 500), 'securebank warm-up');
	await runCount(servers.peerDialer, concurrency, Math.min(total, 500), 'node:tls warm-up');
	const tcpDial = tcpDialer(servers.tcp.port);
	await runCount(tcpDial, concurrency, Math.min(total, 500), 'tcp warm-up');
	const ours: Array<{server: number; client: number}> = [];
	const peer: Array<{server: number; client: number}> = [];
	const tcp: Array<{server: number; client: number}> = [];
	for (let repeat = 0; repeat < options.cpuRepeats; repeat++) {
		ours.push(
			await cpuPerHandshake(
				servers.securebank,
				servers.oursDialer,
				total,
				concurrency,
				'securebank cpu',
			),
		);
		peer.push(
			await cpuPerHandshake(servers.tls, servers.peerDialer, total, concurrency, 'node:tls cpu'),
		);
		tcp.push(await cpuPerHandshake(servers.tcp, tcpDial, total, concurrency, 'tcp cpu'));
		log(
			`  server cpu repeat ${repeat + 1}: securebank ${Math.round(ours.at(-1)!.server)} µs, node:tls ${Math.round(peer.at(-1)!.server)} µs per handshake; plain TCP ${Math.round(tcp.at(-1)!.server)} µs per connection`,
		);
	}

	return {
		oursServerMicros: median(ours.map((sample) => sample.server)),
		peerServerMicros: median(peer.map((sample) => sample.server)),
		oursClientMicros: median(ours.map((sample) => sample.client)),
		peerClientMicros: median(peer.map((sample) => sample.client)),
		tcpServerMicros: median(tcp.map((sample) => sample.server)),
		handshakes: total,
	};
}

export type RttFigures = {
	/** µs per 128-byte round trip: median of per-batch means. */
	readonly oursMicros: number;
	readonly tlsMicros: number;
	readonly tcpMicros: number;
	/** The minimal JavaScript record layer: how fast one can be at all. */
	readonly naiveMicros: number;
	readonly roundTrips: number;
};

/** Sequential 128-byte request/response over one open channel, the three channels interleaved. */
export async function benchRoundTrips(
	servers: ChannelServers,
	options: BenchOptions,
): Promise<RttFigures> {
	const pingers = [
		await securebankPinger(
			servers.securebank.port,
			servers.securebank.fingerprint!,
			servers.scratchDirectory,
		),
		await tlsPinger(servers.tls.port, servers.certificate),
		await tcpPinger(servers.tcp.port),
		await naivePinger(servers.naive.port),
	];
	try {
		const [ours, tls, tcp, naive] = await interleavedRoundTrips(
			pingers,
			options.rttBatch,
			options.rttBatches,
		);
		return {
			oursMicros: median(ours!),
			tlsMicros: median(tls!),
			tcpMicros: median(tcp!),
			naiveMicros: median(naive!),
			roundTrips: options.rttBatch * options.rttBatches,
		};
	} finally {
		await Promise.all(pingers.map(async (pinger) => pinger.close()));
	}
}
