import { SendAuthLogin } from './sendauth-login.js';

SendAuthLogin.define();
