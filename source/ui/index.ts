/**
 * The screens and their pure parts: the CLI renders the apps; tests and replays fold events
 * through the reducers without rendering.
 */
export {ConnectApp, type ConnectAppProps} from './connect-app.js';
export {ServeApp, type ServeAppProps} from './serve-app.js';
export {DemoApp, type DemoAppProps} from './demo-app.js';
export {TerminalSize, useTerminalSize, DEFAULT_SIZE, type Size} from './terminal-size.js';
export type {StartConnection, StartHooks} from './use-client-session.js';
export {
	handshakeViewReducer,
	reduceHandshakeEvents,
	initialHandshakeView,
	type HandshakeView,
	type LogEntry,
	type ConnectionState,
} from './handshake-view.js';
export {
	logCursorReducer,
	initialLogCursor,
	type LogCursor,
	type LogCursorAction,
} from './log-cursor.js';
export {
	bankViewReducer,
	initialBankView,
	MENU,
	type BankView,
	type BankAction,
	type BankRequest,
} from './bank-view.js';
export {
	clientSessionReducer,
	initialClientSession,
	clientScreen,
	parseTrustAnswer,
	exitCodeFor,
	EXIT_OK,
	EXIT_HOST_KEY,
	EXIT_AUTH,
	EXIT_CONNECTION,
	type ClientSession,
	type ClientSessionAction,
} from './client-session.js';
export {
	serverViewReducer,
	reduceServerActivity,
	initialServerView,
	type ServerView,
	type ServerConnectionView,
} from './server-view.js';
export {connectionCursorReducer} from './connection-cursor.js';
export {scrollReducer} from './scroll.js';
export {
	KEY_BINDINGS,
	Command,
	commandFor,
	bindingsFor,
	statusBarEntries,
	type Binding,
	type Mode,
} from './key-bindings.js';
export {connectLayout, demoLayout, serveLayout, WIDE_COLUMNS} from './layout.js';
