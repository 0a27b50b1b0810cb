import { apiRoutes } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { parseInput } from './route.decorator';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof AppError ? { code: error.code, message: error.message, details: error.details } : error;
  }
  throw new Error('accepted');
};

describe('parseInput', () => {
  const decide = apiRoutes['POST /me/approvals/:pendingId'];
  const pendingId = '6f1f1f1f-1f1f-4f1f-8f1f-1f1f1f1f1f1f';

  it('gives the validated params, query and body', () => {
    const sut = parseInput(decide, { params: { pendingId }, query: {}, body: { decision: 'accept', code: ' 123456 ' } });
    expect(sut).toEqual({ params: { pendingId }, query: {}, body: { decision: 'accept', code: '123456' } });
  });

  it('refuses a path parameter on its own, naming no field', () => {
    const error = refusal(() => parseInput(decide, { params: { pendingId: 'nope' }, query: {}, body: { decision: 'accept' } }));
    expect(error).toEqual({ code: 'validation_failed', message: expect.not.stringContaining('pendingId'), details: undefined });
  });

  it('refuses an unknown body field with unknown_field, and a bad one naming it', () => {
    expect(refusal(() => parseInput(decide, { params: { pendingId }, query: {}, body: { decision: 'accept', extra: 1 } }))).toEqual({
      code: 'unknown_field',
      message: 'unknown field: extra',
      details: { fields: ['extra'] },
    });
    expect(refusal(() => parseInput(decide, { params: { pendingId }, query: {}, body: { decision: 'maybe' } }))).toMatchObject({
      code: 'validation_failed',
      details: { field: 'decision' },
    });
  });

  it('validates the query as a whole', () => {
    const start = apiRoutes['GET /auth/oauth2/start'];
    expect(parseInput(start, { params: {}, query: { returnTo: 'https://app.example/' }, body: undefined }).query).toEqual({
      returnTo: 'https://app.example/',
    });
    expect(refusal(() => parseInput(start, { params: {}, query: {}, body: undefined }))).toMatchObject({ details: { field: 'returnTo' } });
  });
});
