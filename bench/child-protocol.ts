/**
 * The messages between the benchmark (parent) and a server child, over the fork IPC channel.
 * Each request carries a sequence number that its reply repeats.
 */
import type {GroupCommitStats} from '../source/bank/group-commit.js';

export type ServerKind = 'securebank' | 'tls' | 'tcp' | 'naive' | 'bank';

export type ChildCommand =
	/** securebank's SecureServer, echoing every record back. */
	| {readonly type: 'listen-securebank'}
	/** node:tls, TLS 1.3 only, the given Ed25519 certificate, echoing every byte back. */
	| {readonly type: 'listen-tls'; readonly keyPem: string; readonly certPem: string}
	/** Plain node:net echo. */
	| {readonly type: 'listen-tcp'}
	/** The minimal JavaScript record layer of naive-records.ts, echoing every record back. */
	| {readonly type: 'listen-naive'}
	/** The whole bank server (startBankServer) on an existing data folder. */
	| {
			readonly type: 'listen-bank';
			readonly dataDirectory: string;
			readonly scryptCost: {N: number; r: number; p: number};
	  }
	| {readonly type: 'cpu-usage'}
	| {readonly type: 'commit-stats'}
	| {readonly type: 'stop'};

export type ChildReply =
	| {readonly type: 'listening'; readonly port: number; readonly fingerprint?: string}
	| {readonly type: 'cpu-usage'; readonly userMicros: number; readonly systemMicros: number}
	| {readonly type: 'commit-stats'; readonly stats: GroupCommitStats}
	| {readonly type: 'stopped'}
	| {readonly type: 'error'; readonly message: string};

export type ChildRequestMessage = {readonly sequence: number; readonly command: ChildCommand};
export type ChildReplyMessage = {readonly sequence: number; readonly reply: ChildReply};
