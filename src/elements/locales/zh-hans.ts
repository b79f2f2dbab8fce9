import type { SendAuthStrings } from '../strings.js';

/**
 * Simplified Chinese (mainland China, Singapore), addressing the visitor as "您"; "通行密钥", as Apple, Google
 * and Microsoft say passkey. Latin words and numbers are set off by a space.
 */
export const zhHans: SendAuthStrings = {
  usernameLabel: '邮箱',
  firstNameLabel: '名',
  lastNameLabel: '姓',
  emailLabel: '邮箱',
  signInButton: '使用通行密钥登录',
  registerButton: '创建通行密钥',
  signupButton: '使用通行密钥注册',
  statusStarting: '正在连接服务器…',
  statusCeremony: '请在浏览器的通行密钥窗口中继续操作。',
  statusVerifying: '正在验证您的通行密钥…',
  statusSignedIn: '您已登录。',
  statusRegistered: '您的通行密钥已就绪。',
  statusCancelled: '已取消。',
  fieldRequired: '请填写此字段。',
  fieldLength: '请输入 2 到 50 个字符。',
  emailInvalid: '请输入邮箱地址，例如 name@example.com。',
  fieldCharacters: '请删除此字段中的控制字符（例如制表符）。',
  emailTooLong: '邮箱地址最多可包含 256 个字符。',
  emailUnsupported: '@ 前面只能使用字母 a–z、数字以及 . _ + -，不能使用中文、带重音的字母或其他文字。',
  errors: {
    'not-supported': '此浏览器不支持通行密钥。请使用最新版本的 Chrome、Safari、Firefox 或 Edge。',
    'insecure-context': '通行密钥仅适用于安全（https）页面。',
    cancelled: '通行密钥窗口已关闭，或未选择通行密钥。请重试。',
    timeout: '操作超时。请重试。',
    'user-not-found': '找不到使用此邮箱地址的账号。',
    'no-passkey': '找不到此邮箱地址的通行密钥。请检查邮箱地址，或先注册。',
    'already-registered': '您已在此设备上为此账号创建过通行密钥。',
    'already-exists': '使用此邮箱地址的账号已存在。',
    unauthorized: '请先登录。',
    forbidden: '您无权执行此操作。',
    'tx-expired': '请求已过期。请重试。',
    'tx-denied': '请求已被拒绝。请重试。',
    'tx-not-found': '请求已失效。请重试。',
    replayed: '此通行密钥响应已被使用过。请重试。',
    'rate-limited': '尝试次数过多。请等待一分钟后重试。',
    'invalid-request': '部分信息无效。请检查后重试。',
    network: '无法连接到服务器。请检查网络连接后重试。',
    upstream: '登录服务暂时不可用。请稍后重试。',
    'rp-mismatch': '此通行密钥无法在此网站上使用。',
  },
};
