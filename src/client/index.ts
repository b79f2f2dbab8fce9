export { ProxyClient, type ProxyClientOptions } from './ProxyClient.js';
export { ProxyError, isProxyError, type ProxyErrorInit } from './ProxyError.js';
