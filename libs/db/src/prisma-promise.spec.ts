import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import { createPrismaClient } from './index';
import { PrismaPromise, createPrismaPromise, useClassPrismaPromises } from './prisma-promise';

describe('PrismaPromise', () => {
  it('runs the query once, when first awaited, and shares its result', async () => {
    const callback = jest.fn().mockResolvedValue(['row']);
    const sut = createPrismaPromise(callback, { action: 'queryRaw' });
    expect(callback).not.toHaveBeenCalled();

    await expect(sut).resolves.toEqual(['row']);
    await expect(sut.then((rows) => rows)).resolves.toEqual(['row']);
    await expect(sut.finally(() => undefined)).resolves.toEqual(['row']);
    expect(callback).toHaveBeenCalledTimes(1);
    expect(callback).toHaveBeenCalledWith(undefined);
    expect(sut.spec).toEqual({ action: 'queryRaw' });
  });

  it('works behind a Proxy, as Prisma wraps model calls (its fluent API)', async () => {
    const callback = jest.fn().mockResolvedValue('row');
    const sut = new Proxy(createPrismaPromise(callback), {});
    await expect(sut).resolves.toBe('row');
    await expect(sut.finally(() => undefined)).resolves.toBe('row');
    await expect(sut.requestTransaction({ kind: 'batch' })).resolves.toBe('row');
    expect(callback).toHaveBeenCalledTimes(2);
  });

  it('rejects when the callback throws or rejects', async () => {
    const thrown = createPrismaPromise(() => {
      throw new Error('invalid');
    });
    await expect(thrown).rejects.toThrow('invalid');
    await expect(thrown.catch((error: unknown) => (error as Error).message)).resolves.toBe('invalid');
    await expect(createPrismaPromise(() => Promise.reject(new Error('gone')))).rejects.toThrow('gone');
  });

  it('wraps a plain value in a promise', async () => {
    await expect(createPrismaPromise(() => 3)).resolves.toBe(3);
  });

  it('runs anew for each batch transaction, once in an interactive one', async () => {
    const callback = jest.fn((transaction?: { kind: string }) => Promise.resolve(transaction?.kind));
    const sut = createPrismaPromise(callback);

    await expect(sut.requestTransaction({ kind: 'batch' })).resolves.toBe('batch');
    await expect(sut.requestTransaction({ kind: 'batch' })).resolves.toBe('batch');
    expect(callback).toHaveBeenCalledTimes(2);

    const itx = new PrismaPromise(callback, { kind: 'itx' }, undefined);
    await itx;
    await itx;
    expect(callback).toHaveBeenCalledTimes(3);
  });

  it('hands a nested Prisma promise the batch transaction', async () => {
    const inner = createPrismaPromise((transaction) => Promise.resolve(transaction?.kind));
    const sut = createPrismaPromise(() => inner);
    await expect(sut.requestTransaction({ kind: 'batch' })).resolves.toBe('batch');
  });

  it("is tagged as Prisma's promises are ($transaction checks the tag)", () => {
    const sut = createPrismaPromise(() => 1);
    expect(sut[Symbol.toStringTag]).toBe('PrismaPromise');
    expect(Object.prototype.toString.call(sut)).toBe('[object PrismaPromise]');
  });

  it("replaces the client's own factory (a Prisma upgrade that renames it fails here)", () => {
    const raw = new PrismaClient({ adapter: new PrismaPg({ connectionString: 'postgres://nobody@127.0.0.1:1/none' }) });
    expect(typeof (raw as unknown as { _createPrismaPromise: unknown })._createPrismaPromise).toBe('function');
    expect((raw as unknown as { _createPrismaPromise: unknown })._createPrismaPromise).not.toBe(createPrismaPromise);

    const sut = createPrismaClient({ url: 'postgres://nobody@127.0.0.1:1/none', poolSize: 1 });
    expect((sut as unknown as { _createPrismaPromise: unknown })._createPrismaPromise).toBe(createPrismaPromise);
    expect(Object.prototype.toString.call(sut.$queryRaw`SELECT 1`)).toBe('[object PrismaPromise]');
    expect(useClassPrismaPromises(raw)).toBe(raw);
  });
});
