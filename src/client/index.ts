export { ProxyClient, type ProxyClientOptions } from './proxy-client.js';
export { ProxyError, isProxyError, type ProxyErrorInit } from './proxy-error.js';
