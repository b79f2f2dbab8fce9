import type { SendAuthStrings } from '../strings.js';

/**
 * Japanese, in the polite です/ます style; "パスキー", as Apple, Google and Microsoft say it. Latin words and
 * numbers are set off by a half-width space.
 */
export const ja: SendAuthStrings = {
  usernameLabel: 'メールアドレス',
  firstNameLabel: '名',
  lastNameLabel: '姓',
  emailLabel: 'メールアドレス',
  signInButton: 'パスキーでログイン',
  registerButton: 'パスキーを作成',
  signupButton: 'パスキーで新規登録',
  statusStarting: 'サーバーに接続しています…',
  statusCeremony: 'ブラウザのパスキー画面で操作を続けてください。',
  statusVerifying: 'パスキーを確認しています…',
  statusSignedIn: 'ログインしました。',
  statusRegistered: 'パスキーの準備ができました。',
  statusCancelled: 'キャンセルしました。',
  fieldRequired: 'このフィールドを入力してください。',
  fieldLength: '2～50 文字で入力してください。',
  emailInvalid: 'name@example.com のような形式でメールアドレスを入力してください。',
  fieldCharacters: 'この欄から制御文字（タブなど）を削除してください。',
  emailTooLong: 'メールアドレスは 256 文字以内で入力してください。',
  emailUnsupported: '@ の前に使用できるのは半角英字（a～z）、数字、. _ + - のみです。全角文字やアクセント付きの文字は使用できません。',
  errors: {
    'not-supported': 'このブラウザはパスキーに対応していません。最新版の Chrome、Safari、Firefox、Edge をお試しください。',
    'insecure-context': 'パスキーは安全な（https）ページでのみ使用できます。',
    cancelled: 'パスキーの画面が閉じられたか、パスキーが選択されませんでした。もう一度お試しください。',
    timeout: 'タイムアウトしました。もう一度お試しください。',
    'user-not-found': 'このメールアドレスのアカウントが見つかりませんでした。',
    'no-passkey': 'このメールアドレスのパスキーが見つかりませんでした。アドレスを確認するか、先に新規登録してください。',
    'already-registered': 'このデバイスには、このアカウントのパスキーがすでにあります。',
    'already-exists': 'このメールアドレスのアカウントはすでに存在します。',
    unauthorized: '先にログインしてください。',
    forbidden: 'この操作を行う権限がありません。',
    'tx-expired': 'リクエストの有効期限が切れました。もう一度お試しください。',
    'tx-denied': 'リクエストが拒否されました。もう一度お試しください。',
    'tx-not-found': 'このリクエストは無効になりました。もう一度お試しください。',
    replayed: 'このパスキーの応答はすでに使用されています。もう一度お試しください。',
    'rate-limited': '試行回数が多すぎます。1 分ほど待ってから、もう一度お試しください。',
    'invalid-request': '入力内容に誤りがあります。確認して、もう一度お試しください。',
    network: 'サーバーに接続できませんでした。接続を確認して、もう一度お試しください。',
    upstream: 'ログインサービスは現在ご利用いただけません。しばらくしてから、もう一度お試しください。',
    'rp-mismatch': 'このパスキーはこのサイトでは使用できません。',
  },
};
