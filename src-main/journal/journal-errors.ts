// The journal's errors on their own, so a command that only classifies failures (the CLI's
// classify-failure, which `breakglass verify` loads) does not load SQLite's native module with them.

export class JournalError extends Error {}

/**
 * An append whose time is earlier than the ceremony's last entry: the clock was set back (or a
 * drill's simulated clock ran ahead). Nothing was written; the message names the clock.
 */
export class JournalClockError extends JournalError {}
