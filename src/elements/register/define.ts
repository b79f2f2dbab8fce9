import { SendAuthRegister } from './sendauth-register.js';

SendAuthRegister.define();
