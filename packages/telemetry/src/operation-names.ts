/**
 * Operation names become a label, and a label's values must stay few: every distinct value is a
 * time series Prometheus keeps. Clients choose operation names, so they are folded:
 * - an unnamed operation is `(anonymous)`;
 * - a request that never reached an operation (parse or validation failure) is `(invalid)`;
 * - with a trusted-documents manifest loaded, a name not in it is `(other)`;
 * - otherwise the first `maxNames` distinct names are kept and every later new name is `(other)`.
 * The parentheses cannot occur in a GraphQL name, so no real operation is mistaken for these.
 */
export const ANONYMOUS_OPERATION = '(anonymous)';
export const INVALID_OPERATION = '(invalid)';
export const OTHER_OPERATIONS = '(other)';

export interface OperationNameFoldingOptions {
  /** Distinct names kept before new ones fold into `(other)`. */
  maxNames: number;
  /** The names of the trusted documents, when a manifest is loaded: only these are kept. */
  trustedNames?: ReadonlySet<string> | null;
}

export class OperationNameFolder {
  private readonly seen = new Set<string>();

  constructor(private readonly options: OperationNameFoldingOptions) {}

  fold(name: string | null | undefined): string {
    if (name === null || name === undefined || name === '') return ANONYMOUS_OPERATION;
    if (this.options.trustedNames && !this.options.trustedNames.has(name)) return OTHER_OPERATIONS;
    if (this.seen.has(name)) return name;
    if (this.seen.size >= this.options.maxNames) return OTHER_OPERATIONS;
    this.seen.add(name);
    return name;
  }
}
