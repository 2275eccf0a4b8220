/**
 * The terminal's size, for layouts that use the room there is: read from Ink's stdout, updated on
 * 'resize'. A `TerminalSize` provider overrides it (tests render at 80 or 140 columns in a fake
 * terminal that always says 100, and has no rows).
 */
import {useStdout} from 'ink';
import React, {
	createContext,
	useContext,
	useEffect,
	useMemo,
	useState,
	type ReactNode,
} from 'react';

export type Size = {readonly columns: number; readonly rows: number};

/** What a terminal that does not say is assumed to be: the classic 100x30 this app is laid out for. */
export const DEFAULT_SIZE: Size = {columns: 100, rows: 30};

const SizeOverride = createContext<Partial<Size> | undefined>(undefined);

export function TerminalSize({
	columns,
	rows,
	children,
}: {
	readonly columns?: number;
	readonly rows?: number;
	readonly children: ReactNode;
}) {
	const value = useMemo(() => ({columns, rows}), [columns, rows]);
	return <SizeOverride.Provider value={value}>{children}</SizeOverride.Provider>;
}

function measure(stdout: NodeJS.WriteStream | undefined): Size {
	const columns = stdout?.columns;
	const rows = stdout?.rows;
	return {
		columns: typeof columns === 'number' && columns > 0 ? columns : DEFAULT_SIZE.columns,
		rows: typeof rows === 'number' && rows > 0 ? rows : DEFAULT_SIZE.rows,
	};
}

export function useTerminalSize(): Size {
	const override = useContext(SizeOverride);
	const {stdout} = useStdout();
	const [size, setSize] = useState<Size>(() => measure(stdout));
	useEffect(() => {
		const resized = () => {
			setSize(measure(stdout));
		};

		stdout.on('resize', resized);
		return () => {
			stdout.off('resize', resized);
		};
	}, [stdout]);
	return {columns: override?.columns ?? size.columns, rows: override?.rows ?? size.rows};
}
