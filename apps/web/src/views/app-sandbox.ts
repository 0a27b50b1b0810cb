/**
 * What an app (or plain website) in the client's iframe may do: run its scripts, keep its own
 * origin (its cookies and storage; the client's window messages are addressed to it), send forms,
 * open windows that are ordinary windows (its own login pop-ups, links to documents), download,
 * show dialogs and ask for its cookies on a click. Not navigate the client itself away (a look-alike
 * login page would sit at the client's address), nor lock the pointer or the screen.
 * A page on the client's own origin keeps no origin at all: with scripts and its own origin it could
 * lift its sandbox and read the client's stored session.
 */
export function appSandbox(src: string, clientOrigin: string): string {
  const sameOrigin = new URL(src, clientOrigin).origin === clientOrigin;
  return [
    'allow-scripts',
    ...(sameOrigin ? [] : ['allow-same-origin']),
    'allow-forms',
    'allow-popups',
    'allow-popups-to-escape-sandbox',
    'allow-downloads',
    'allow-modals',
    'allow-storage-access-by-user-activation',
  ].join(' ');
}
