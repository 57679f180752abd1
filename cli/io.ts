/** Where a command writes: stdout, stderr, and whether stdout is a terminal (progress lines go to stderr). */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  isTty: boolean;
}
