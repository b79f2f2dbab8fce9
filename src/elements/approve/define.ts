import { SendAuthApprove } from './sendauth-approve.js';

SendAuthApprove.define();
