import { appSandbox } from './app-sandbox';

const CLIENT = 'https://gatehouse.example.com';

describe('appSandbox', () => {
  it('lets an app on its own origin run scripts, keep its origin, post forms and open ordinary windows', () => {
    const sut = appSandbox('https://apps.example.com/chat.htm', CLIENT).split(' ');
    expect(sut).toEqual(
      expect.arrayContaining(['allow-scripts', 'allow-same-origin', 'allow-forms', 'allow-popups', 'allow-popups-to-escape-sandbox']),
    );
  });

  it('never lets a framed page navigate the client away', () => {
    expect(appSandbox('https://apps.example.com/chat.htm', CLIENT)).not.toMatch(/allow-top-navigation/);
  });

  it("gives a page on the client's own origin no origin, so it cannot lift its sandbox", () => {
    const sut = appSandbox(`${CLIENT}/apps/legacy.htm`, CLIENT).split(' ');
    expect(sut).toContain('allow-scripts');
    expect(sut).not.toContain('allow-same-origin');
    expect(appSandbox('/relative/page.htm', CLIENT)).not.toContain('allow-same-origin');
  });
});
