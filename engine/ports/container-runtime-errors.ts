/**
 * The container runtime's errors: a fault of the machine (RuntimeUnavailableError) versus the
 * failure of one operation (RuntimeOperationError and its subclasses), which is a failed change.
 */
/** Details of a runtime error: the underlying error, and the daemon's HTTP status when it answered. */
export interface RuntimeErrorOptions {
  cause?: unknown;
  statusCode?: number;
}

/** Base of the runtime's errors. `operation` names what was attempted, e.g. `start web-1`. */
export class RuntimeError extends Error {
  override readonly name: string = 'RuntimeError';
  readonly statusCode?: number;
  constructor(
    message: string,
    readonly operation: string,
    options: RuntimeErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.statusCode = options.statusCode;
  }
}

/** The daemon cannot be reached (socket missing, refused, timed out): a fault of the machine. */
export class RuntimeUnavailableError extends RuntimeError {
  override readonly name: string = 'RuntimeUnavailableError';
}

/** The daemon answered and refused or failed one operation: a failed change, not a fault of the machine. */
export class RuntimeOperationError extends RuntimeError {
  override readonly name: string = 'RuntimeOperationError';
}

/** The container, network, volume or image does not exist. */
export class RuntimeNotFoundError extends RuntimeOperationError {
  override readonly name: string = 'RuntimeNotFoundError';
}

/** A name is taken, or the object is in a state that forbids the operation (a volume in use). */
export class RuntimeConflictError extends RuntimeOperationError {
  override readonly name: string = 'RuntimeConflictError';
}

/** A pull failed: refused by the daemon, an error in the progress stream, or aborted. */
export class ImagePullError extends RuntimeOperationError {
  override readonly name: string = 'ImagePullError';
  constructor(
    readonly ref: string,
    message: string,
    options?: RuntimeErrorOptions,
  ) {
    super(message, `pull ${ref}`, options);
  }
}

/** A build failed; `log` holds every line the builder wrote before it failed. */
export class ImageBuildError extends RuntimeOperationError {
  override readonly name: string = 'ImageBuildError';
  constructor(
    readonly tag: string,
    message: string,
    readonly log: string[],
    options?: RuntimeErrorOptions,
  ) {
    super(message, `build ${tag}`, options);
  }
}
