/** Where a command writes: the process's streams, or a test's buffers. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const PROCESS_IO: CliIo = {
  out: text => process.stdout.write(text),
  err: text => process.stderr.write(text),
};

/** Exit codes of every command. */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
/** `plan` and `apply`: destructive changes that `--allow-destroy` does not allow. */
export const EXIT_DESTRUCTIVE = 2;
