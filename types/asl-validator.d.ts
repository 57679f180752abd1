// asl-validator ships JavaScript only; this covers its default export as the tests and infra/definition.ts use it.
declare module "asl-validator" {
  interface AslValidationResult {
    isValid: boolean;
    errors: unknown[];
    errorsText(separator?: string): string;
  }
  export default function aslValidator(
    definition: unknown,
    options?: Record<string, unknown>,
  ): AslValidationResult;
}
