/**
 * Host keys: the server's long-term identity ("Alice, this is Bob"), generated once and kept on disk.
 *
 * - Public key blobs and fingerprints follow OpenSSH: RFC 4253 section 6.6 ("ssh-ed25519" per
 *   RFC 8709 section 4, "ssh-rsa" as string + mpint e + mpint n), mpint per RFC 4251 section 5;
 *   the fingerprint is 'SHA256:' + unpadded base64 of SHA-256 of that blob, as `ssh-keygen -lf`
 *   prints it.
 * - Private keys are PKCS#8 PEM (RFC 5958), mode 0600, written atomically; a private key file that
 *   group or others may access is refused, like OpenSSH's "UNPROTECTED PRIVATE KEY FILE".
 * - On the wire: Ed25519 = the raw 32-byte key (RFC 8032 5.1.5); RSA-3072 = SPKI DER (RFC 5280).
 */
import {
	chmodSync,
	closeSync,
	existsSync,
	fchmodSync,
	fsyncSync,
	mkdirSync,
	openSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {createPrivateKey, createPublicKey, type KeyObject} from 'node:crypto';
import {
	CryptoInputError,
	RSA_BITS,
	ed25519GenerateKeyPair,
	ed25519PublicKeyFromRaw,
	randomBytes,
	rsaGenerateKeyPair,
	rsaPublicKeyFromSpki,
	rsaPublicKeyToSpki,
	sha256,
} from './primitives.js';
import type {HostKeyType} from './suites.js';

/** The host-key types kept on disk ('textbook-rsa' lives in ./teaching/). */
export type HostKeyAlgorithm = Exclude<HostKeyType, 'textbook-rsa'>;

export type HostKey = {
	readonly type: HostKeyAlgorithm;
	readonly privateKey: KeyObject;
	readonly publicKey: KeyObject;
	/** What goes on the wire: ed25519 = raw 32 bytes; rsa-3072 = SPKI DER. */
	readonly publicKeyBytes: Buffer;
	/** 'SHA256:' + unpadded base64 of SHA-256 of the OpenSSH public key blob. */
	readonly fingerprint: string;
};

/** A host key file that cannot be used; `file` names it. */
export class HostKeyFileError extends Error {
	override readonly name = 'HostKeyFileError';
	constructor(
		readonly file: string,
		problem: string,
	) {
		super(`host key file ${file}: ${problem}`);
	}
}

/** The comment written after the key in the .pub file. */
export const HOST_KEY_COMMENT = 'securebank-host';

const ED25519_LENGTH = 32;

/** SPKI DER of an Ed25519 key: this fixed 12-byte header, then the raw key (RFC 8410 section 4). */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

type KeyFormat = {readonly sshName: string; readonly fileStem: string};

const FORMATS: Readonly<Record<HostKeyAlgorithm, KeyFormat>> = {
	ed25519: {sshName: 'ssh-ed25519', fileStem: 'host_ed25519_key'},
	'rsa-3072': {sshName: 'ssh-rsa', fileStem: 'host_rsa3072_key'},
};

/** Also the guard of every entry point: an unsupported type ('textbook-rsa' cast in) is refused. */
function formatOf(type: HostKeyAlgorithm): KeyFormat {
	const format = Object.hasOwn(FORMATS, type) ? FORMATS[type] : undefined;
	if (format === undefined) {
		throw new CryptoInputError(`unsupported host key type ${String(type)}`);
	}

	return format;
}

// ---------------------------------------------------------------------------------------------
// OpenSSH encodings, RFC 4251 section 5

/** string: uint32 length, then the bytes. */
function sshString(bytes: Uint8Array): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(bytes.length);
	return Buffer.concat([length, bytes]);
}

/**
 * The mpint of a non-negative big-endian integer: two's complement, no needless leading zero bytes,
 * a 0x00 prepended when the top bit is set; zero is the empty string.
 */
function sshMpint(magnitude: Uint8Array): Buffer {
	let start = 0;
	while (start < magnitude.length && magnitude[start] === 0) start++;
	const digits = magnitude.subarray(start);
	const needsZero = digits.length > 0 && (digits[0]! & 0x80) !== 0;
	return sshString(needsZero ? Buffer.concat([Uint8Array.of(0), digits]) : digits);
}

/**
 * The OpenSSH public key blob (RFC 4253 section 6.6):
 *   ssh-ed25519: string "ssh-ed25519", string key (32 bytes)          (RFC 8709 section 4)
 *   ssh-rsa:     string "ssh-rsa", mpint e, mpint n
 */
export function openSshPublicKeyBlob(type: HostKeyAlgorithm, publicKeyBytes: Uint8Array): Buffer {
	const format = formatOf(type);
	const name = Buffer.from(format.sshName, 'latin1');
	if (type === 'ed25519') {
		requireEd25519Length(publicKeyBytes);
		return Buffer.concat([sshString(name), sshString(publicKeyBytes)]);
	}

	// An imported (not freshly generated) RSA key: its JWK export is safe (RECIPES.md).
	const jwk = rsaPublicKeyFromSpki(publicKeyBytes, RSA_BITS).export({format: 'jwk'});
	if (jwk.e === undefined || jwk.n === undefined) {
		throw new CryptoInputError('RSA public key has no modulus or exponent');
	}

	return Buffer.concat([
		sshString(name),
		sshMpint(Buffer.from(jwk.e, 'base64url')),
		sshMpint(Buffer.from(jwk.n, 'base64url')),
	]);
}

/** 'SHA256:' + unpadded base64 of SHA-256 of the OpenSSH blob, as `ssh-keygen -lf` prints it. */
export function fingerprintOf(type: HostKeyAlgorithm, publicKeyBytes: Uint8Array): string {
	const digest = sha256(openSshPublicKeyBlob(type, publicKeyBytes));
	return `SHA256:${digest.toString('base64').replace(/=+$/, '')}`;
}

/** The one-line OpenSSH public key: 'ssh-ed25519 AAAA... securebank-host'. */
export function openSshPublicKeyLine(type: HostKeyAlgorithm, publicKeyBytes: Uint8Array): string {
	const blob = openSshPublicKeyBlob(type, publicKeyBytes);
	return `${formatOf(type).sshName} ${blob.toString('base64')} ${HOST_KEY_COMMENT}`;
}

// ---------------------------------------------------------------------------------------------
// Keys

function requireEd25519Length(bytes: Uint8Array): void {
	if (bytes.length !== ED25519_LENGTH) {
		throw new CryptoInputError(
			`Ed25519 host key must be ${ED25519_LENGTH} bytes, got ${bytes.length}`,
		);
	}
}

/** Checks a peer's host key as received and imports it. */
export function hostPublicKeyFromWire(
	type: HostKeyAlgorithm,
	bytes: Uint8Array,
): {publicKey: KeyObject; fingerprint: string} {
	formatOf(type);
	if (type === 'ed25519') {
		requireEd25519Length(bytes);
		return {publicKey: ed25519PublicKeyFromRaw(bytes), fingerprint: fingerprintOf(type, bytes)};
	}

	let publicKey: KeyObject;
	try {
		publicKey = rsaPublicKeyFromSpki(bytes, RSA_BITS);
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new CryptoInputError(`RSA-3072 host key rejected: ${reason}`);
	}

	return {publicKey, fingerprint: fingerprintOf(type, bytes)};
}

/** The wire bytes of a public key whose type has already been checked. */
function publicKeyBytesOf(type: HostKeyAlgorithm, publicKey: KeyObject): Buffer {
	if (type === 'rsa-3072') return rsaPublicKeyToSpki(publicKey);
	// DER, not JWK: JWK export of a freshly generated Ed25519 key can hang Node 20 (RECIPES.md).
	const spki = publicKey.export({format: 'der', type: 'spki'});
	if (
		spki.length !== ED25519_SPKI_PREFIX.length + ED25519_LENGTH ||
		!spki.subarray(0, ED25519_SPKI_PREFIX.length).equals(ED25519_SPKI_PREFIX)
	) {
		throw new CryptoInputError('Ed25519 public key has an unexpected SPKI encoding');
	}

	return Buffer.from(spki.subarray(ED25519_SPKI_PREFIX.length));
}

function hostKeyFrom(type: HostKeyAlgorithm, privateKey: KeyObject, publicKey: KeyObject): HostKey {
	const publicKeyBytes = publicKeyBytesOf(type, publicKey);
	return {
		type,
		privateKey,
		publicKey,
		publicKeyBytes,
		fingerprint: fingerprintOf(type, publicKeyBytes),
	};
}

export function generateHostKey(type: HostKeyAlgorithm): HostKey {
	formatOf(type);
	if (type === 'ed25519') {
		const pair = ed25519GenerateKeyPair();
		return {
			type,
			privateKey: pair.privateKey,
			publicKey: ed25519PublicKeyFromRaw(pair.publicKey),
			publicKeyBytes: pair.publicKey,
			fingerprint: fingerprintOf(type, pair.publicKey),
		};
	}

	const pair = rsaGenerateKeyPair(RSA_BITS);
	return hostKeyFrom(type, pair.privateKey, pair.publicKey);
}

/** Why a private key cannot serve as a host key of this type, or undefined when it can. */
function keyProblem(type: HostKeyAlgorithm, key: KeyObject): string | undefined {
	const actual = key.asymmetricKeyType ?? 'unknown';
	if (type === 'ed25519') {
		return actual === 'ed25519' ? undefined : `holds an ${actual} key, expected ed25519`;
	}

	if (actual !== 'rsa') return `holds an ${actual} key, expected rsa`;
	const bits = key.asymmetricKeyDetails?.modulusLength;
	return bits === RSA_BITS
		? undefined
		: `holds a ${bits ?? 'unknown'}-bit RSA key, expected ${RSA_BITS}`;
}

// ---------------------------------------------------------------------------------------------
// Files

export function hostKeyFileNames(type: HostKeyAlgorithm): {
	privateFile: string;
	publicFile: string;
} {
	const {fileStem} = formatOf(type);
	return {privateFile: fileStem, publicFile: `${fileStem}.pub`};
}

/**
 * Writes a file whole or not at all: a temporary file in the same directory, created with `mode`
 * and chmod-ed to it (the umask only narrows), flushed, then renamed over the target.
 */
function writeFileAtomically(file: string, contents: string, mode: number): void {
	const temporary = join(
		dirname(file),
		`.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
	);
	let descriptor: number | undefined;
	try {
		descriptor = openSync(temporary, 'wx', mode);
		fchmodSync(descriptor, mode);
		writeFileSync(descriptor, contents);
		fsyncSync(descriptor);
		closeSync(descriptor);
		descriptor = undefined;
		renameSync(temporary, file);
	} catch (error) {
		if (descriptor !== undefined) closeSync(descriptor);
		rmSync(temporary, {force: true});
		throw error;
	}

	syncDirectory(dirname(file));
}

/** Makes the rename durable; not every platform can fsync a directory, which is harmless. */
function syncDirectory(directory: string): void {
	let descriptor: number | undefined;
	try {
		descriptor = openSync(directory, 'r');
		fsyncSync(descriptor);
	} catch {
		// Best effort only.
	} finally {
		if (descriptor !== undefined) closeSync(descriptor);
	}
}

function ensureDirectory(directory: string): void {
	const created = mkdirSync(directory, {recursive: true, mode: 0o700});
	if (created !== undefined) chmodSync(directory, 0o700);
}

/** Private key: PKCS#8 PEM, mode 0600. Public key: one OpenSSH line, mode 0644. */
export function saveHostKey(directory: string, key: HostKey): void {
	ensureDirectory(directory);
	const {privateFile} = hostKeyFileNames(key.type);
	const pem = key.privateKey.export({format: 'pem', type: 'pkcs8'});
	writeFileAtomically(join(directory, privateFile), pem.toString(), 0o600);
	writePublicFile(directory, key);
}

function writePublicFile(directory: string, key: HostKey): void {
	const {publicFile} = hostKeyFileNames(key.type);
	const line = openSshPublicKeyLine(key.type, key.publicKeyBytes);
	writeFileAtomically(join(directory, publicFile), `${line}\n`, 0o644);
}

const errorCode = (error: unknown): string | undefined =>
	error instanceof Error && 'code' in error && typeof error.code === 'string'
		? error.code
		: undefined;

const reasonOf = (error: unknown): string =>
	error instanceof Error ? error.message : String(error);

/**
 * Loads the host key of this type from `directory`; undefined when its private key file does not
 * exist. A .pub file next to it, if present, must hold the same key.
 */
export function loadHostKey(directory: string, type: HostKeyAlgorithm): HostKey | undefined {
	const {privateFile, publicFile} = hostKeyFileNames(type);
	const file = join(directory, privateFile);
	let stats;
	try {
		stats = statSync(file);
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return undefined;
		throw new HostKeyFileError(file, `cannot be read (${reasonOf(error)})`);
	}

	if (!stats.isFile()) throw new HostKeyFileError(file, 'is not a regular file');
	// OpenSSH refuses a private key that group or others may access (sshkey_perm_ok); so do we.
	// Windows has no such mode bits.
	if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
		const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
		throw new HostKeyFileError(
			file,
			`UNPROTECTED PRIVATE KEY FILE: permissions ${mode} let group or others access it; ` +
				`fix with: chmod 600 ${file}`,
		);
	}

	let pem: string;
	try {
		pem = readFileSync(file, 'utf8');
	} catch (error) {
		throw new HostKeyFileError(file, `cannot be read (${reasonOf(error)})`);
	}

	let privateKey: KeyObject;
	try {
		privateKey = createPrivateKey({key: pem, format: 'pem'});
	} catch (error) {
		throw new HostKeyFileError(
			file,
			`is not a valid unencrypted PKCS#8 PEM private key (${reasonOf(error)})`,
		);
	}

	const problem = keyProblem(type, privateKey);
	if (problem !== undefined) throw new HostKeyFileError(file, problem);
	const key = hostKeyFrom(type, privateKey, createPublicKey(privateKey));
	checkPublicFile(join(directory, publicFile), key);
	return key;
}

/** A .pub file that exists must be one OpenSSH line holding this very key. */
function checkPublicFile(file: string, key: HostKey): void {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return;
		throw new HostKeyFileError(file, `cannot be read (${reasonOf(error)})`);
	}

	const {sshName} = formatOf(key.type);
	const [name, encoded] = text.trim().split(/\s+/);
	if (name !== sshName) {
		const found = name === undefined || name === '' ? 'nothing' : `'${name.slice(0, 40)}'`;
		throw new HostKeyFileError(file, `holds ${found}, expected an ${sshName} key`);
	}

	const blob = Buffer.from(encoded ?? '', 'base64');
	if (encoded === undefined || blob.length === 0 || blob.toString('base64') !== encoded) {
		throw new HostKeyFileError(file, 'is not an OpenSSH public key line (bad base64)');
	}

	if (!blob.equals(openSshPublicKeyBlob(key.type, key.publicKeyBytes))) {
		throw new HostKeyFileError(
			file,
			`does not match the private key next to it (expected ${key.fingerprint})`,
		);
	}
}

/**
 * Loads each host key of `types` from `directory`, generating and saving the missing ones.
 * A missing .pub next to an existing private key is written again.
 */
export function loadOrCreateHostKeys(
	directory: string,
	types: readonly HostKeyAlgorithm[],
): {keys: HostKey[]; created: HostKeyAlgorithm[]} {
	const keys: HostKey[] = [];
	const created: HostKeyAlgorithm[] = [];
	for (const type of new Set(types)) {
		const loaded = loadHostKey(directory, type);
		if (loaded === undefined) {
			const key = generateHostKey(type);
			saveHostKey(directory, key);
			keys.push(key);
			created.push(type);
			continue;
		}

		// A .pub that exists was checked by loadHostKey.
		if (!existsSync(join(directory, hostKeyFileNames(type).publicFile))) {
			writePublicFile(directory, loaded);
		}

		keys.push(loaded);
	}

	return {keys, created};
}
