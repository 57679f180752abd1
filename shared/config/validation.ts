import type { z } from "zod";

/** One problem in one file, as `file: path.to.field: message`. */
export interface ValidationProblem {
  file: string;
  path: string;
  message: string;
}

export function formatProblem(p: ValidationProblem): string {
  return p.path ? `${p.file}: ${p.path}: ${p.message}` : `${p.file}: ${p.message}`;
}

export function zodProblems(file: string, error: z.ZodError): ValidationProblem[] {
  return error.issues.map((issue) => ({
    file,
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
}
