import type { SendAuthStrings } from '../strings.js';

/**
 * Korean, in the polite 합니다/하세요 style; "패스키", as Apple, Google and Microsoft say it. No particle follows a
 * placeholder, so none depends on how the value ends.
 */
export const ko: SendAuthStrings = {
  usernameLabel: '이메일',
  firstNameLabel: '이름',
  lastNameLabel: '성',
  emailLabel: '이메일',
  signInButton: '패스키로 로그인',
  registerButton: '패스키 만들기',
  signupButton: '패스키로 가입하기',
  statusStarting: '서버에 연결하는 중…',
  statusCeremony: '브라우저의 패스키 창에서 계속하세요.',
  statusVerifying: '패스키를 확인하는 중…',
  statusSignedIn: '로그인되었습니다.',
  statusRegistered: '패스키가 준비되었습니다.',
  statusCancelled: '취소되었습니다.',
  fieldRequired: '이 입력란을 작성하세요.',
  fieldLength: '2~50자로 입력하세요.',
  emailInvalid: 'name@example.com 형식의 이메일 주소를 입력하세요.',
  fieldCharacters: '이 입력란에서 제어 문자(탭 등)를 삭제하세요.',
  emailTooLong: '이메일 주소는 최대 256자까지 입력할 수 있습니다.',
  emailUnsupported: '@ 앞에는 영문 a~z, 숫자, . _ + -만 사용할 수 있습니다. 한글, 악센트 부호가 있는 문자 등은 사용할 수 없습니다.',
  errors: {
    'not-supported': '이 브라우저는 패스키를 지원하지 않습니다. Chrome, Safari, Firefox, Edge의 최신 버전을 사용해 보세요.',
    'insecure-context': '패스키는 보안(https) 페이지에서만 사용할 수 있습니다.',
    cancelled: '패스키 창이 닫혔거나 패스키를 선택하지 않았습니다. 다시 시도하세요.',
    timeout: '시간이 초과되었습니다. 다시 시도하세요.',
    'user-not-found': '이 이메일 주소로 등록된 계정을 찾을 수 없습니다.',
    'no-passkey': '이 이메일 주소에 대한 패스키가 없습니다. 주소를 확인하거나 먼저 가입하세요.',
    'already-registered': '이 기기에 이 계정의 패스키가 이미 있습니다.',
    'already-exists': '이 이메일 주소로 된 계정이 이미 있습니다.',
    unauthorized: '먼저 로그인하세요.',
    forbidden: '이 작업을 수행할 권한이 없습니다.',
    'tx-expired': '요청이 만료되었습니다. 다시 시도하세요.',
    'tx-denied': '요청이 거부되었습니다. 다시 시도하세요.',
    'tx-not-found': '더 이상 유효하지 않은 요청입니다. 다시 시도하세요.',
    replayed: '이미 사용된 패스키 응답입니다. 다시 시도하세요.',
    'rate-limited': '시도 횟수가 너무 많습니다. 1분 후에 다시 시도하세요.',
    'invalid-request': '일부 정보가 올바르지 않습니다. 확인한 후 다시 시도하세요.',
    network: '서버에 연결할 수 없습니다. 인터넷 연결을 확인하고 다시 시도하세요.',
    upstream: '지금은 로그인 서비스를 사용할 수 없습니다. 나중에 다시 시도하세요.',
    'rp-mismatch': '이 패스키는 이 사이트에서 사용할 수 없습니다.',
  },
};
