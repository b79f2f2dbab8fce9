/** The site's signed-in user: `me` (who they are at SendAuth) and `removePasskey`. Both need `getSessionUserId`. */
import { route, sessionUserId, upstream, type ProxyApp, type ProxyDeps } from '../http.js';
import type { MeResult } from '../../wire.js';

export function registerMeRoutes(app: ProxyApp, deps: ProxyDeps): void {
  route(app, 'me', async (c) => {
    const userId = await sessionUserId(deps, c);
    const user = await upstream(deps, () => deps.sendauth.getUser(userId));
    const answer: MeResult = { userId, firstName: user.firstName, lastName: user.lastName, hasPasskeys: user.hasPasskeys === true };
    if (user.email !== undefined) answer.email = user.email;
    return { answer };
  });

  route(app, 'removePasskey', async (c) => {
    const userId = await sessionUserId(deps, c);
    await upstream(deps, () => deps.sendauth.removeUserPasskey(userId));
    return { answer: { hasPasskeys: false } };
  });
}
