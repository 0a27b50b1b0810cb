// Prisma's lazy query promise, rebuilt as a class (issue 23: the services' minor GCs).
//
// Every Prisma call ($queryRaw, prisma.user.findFirst, …) returns a "PrismaPromise": a thenable that runs the query
// when first awaited. @prisma/client 7 builds it as an object literal with a getter (`get spec() { … }`) whose closure
// also holds the query's promise, hence its result rows. Such a per-call literal with a getter does not die young in
// V8 (Node 24): it and all it reaches (the rows, and whatever its request still referenced) survived every minor GC
// until the next major one, and were copied to the old generation on the way. The exact V8 structure that holds it
// was not identified (a heap snapshot, which collects in full first, shows none of it); what was measured:
//   - the same literal around an async function returning 50 fresh objects, two at a time, no Prisma, no database:
//     ~40 MB surviving each scavenge (30 ms pauses); without the getter, or as this class: 16 KB (0.3 ms);
//   - bench/admin (services process): ~4.7 MB surviving each scavenge, minor GCs of 10–15 ms (the p99s of issue 23);
//     with this class ~1 MB, 3.6 ms.
// A plain class instance (getter on the prototype, state in fields) is freed with the request, as any other object.
//
// Semantics are Prisma's (runtime/core/request/createPrismaPromise.ts): outside a batch transaction the query runs
// once and every then/catch/finally shares its promise; a batch transaction ($transaction([...])) runs it anew
// through requestTransaction; `[Symbol.toStringTag]` is 'PrismaPromise' ($transaction checks it).

interface PrismaPromiseTransaction {
  kind: string;
}

type PrismaPromiseCallback = (transaction?: PrismaPromiseTransaction) => unknown;

interface Thenable extends PromiseLike<unknown> {
  requestTransaction?(transaction: PrismaPromiseTransaction): PromiseLike<unknown>;
}

const asPromise = (value: unknown): Thenable =>
  typeof (value as Thenable | null)?.then === 'function' ? (value as Thenable) : Promise.resolve(value);

export class PrismaPromise implements PromiseLike<unknown> {
  // A plain field, not #private: Prisma wraps model calls' promises in a Proxy (its fluent API), through which
  // private fields cannot be read.
  private promise: Thenable | undefined;

  constructor(
    private readonly callback: PrismaPromiseCallback,
    private readonly transaction: PrismaPromiseTransaction | undefined,
    private readonly operation: unknown,
  ) {}

  get spec(): unknown {
    return this.operation;
  }

  get [Symbol.toStringTag](): string {
    return 'PrismaPromise';
  }

  then<A = unknown, B = never>(
    onFulfilled?: ((value: unknown) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.run().then(onFulfilled, onRejected) as Promise<A | B>;
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<unknown> {
    return (this.run() as Promise<unknown>).catch(onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<unknown> {
    return (this.run() as Promise<unknown>).finally(onFinally);
  }

  requestTransaction(batchTransaction: PrismaPromiseTransaction): PromiseLike<unknown> {
    const promise = this.run(batchTransaction);
    return promise.requestTransaction ? promise.requestTransaction(batchTransaction) : promise;
  }

  private run(transaction = this.transaction): Thenable {
    try {
      // Once only outside a batch; a batch transaction may run it again and again.
      if (transaction === undefined || transaction.kind === 'itx') return (this.promise ??= asPromise(this.callback(transaction)));
      return asPromise(this.callback(transaction));
    } catch (error) {
      // The callback may throw synchronously: the promise rejects, as Prisma's does.
      return Promise.reject(error as Error);
    }
  }
}

/** Prisma's `_createPrismaPromise` for a client outside an interactive transaction. */
export const createPrismaPromise = (callback: PrismaPromiseCallback, operation?: unknown): PrismaPromise =>
  new PrismaPromise(callback, undefined, operation);

/**
 * Puts the class above in place of the client's own factory (an instance field of @prisma/client 7's client,
 * read by $queryRaw, $executeRaw and every model method). A client without that field (another Prisma
 * version) is left as it is; the spec in prisma-promise.spec.ts fails then, so the upgrade is noticed.
 */
export function useClassPrismaPromises<T extends object>(client: T): T {
  const internal = client as T & { _createPrismaPromise?: unknown };
  if (typeof internal._createPrismaPromise === 'function') internal._createPrismaPromise = createPrismaPromise;
  return client;
}
