import type { SendAuthStrings } from '../strings.js';

/**
 * Brazilian Portuguese, addressing the visitor as "você"; a passkey is a "chave de acesso", as Google and
 * Microsoft say it (Apple says "chave-senha").
 */
export const ptBR: SendAuthStrings = {
  usernameLabel: 'E-mail',
  firstNameLabel: 'Nome',
  lastNameLabel: 'Sobrenome',
  emailLabel: 'E-mail',
  signInButton: 'Entrar com uma chave de acesso',
  registerButton: 'Criar uma chave de acesso',
  signupButton: 'Criar conta com uma chave de acesso',
  statusStarting: 'Conectando ao servidor…',
  statusCeremony: 'Continue na janela de chave de acesso do navegador.',
  statusVerifying: 'Verificando sua chave de acesso…',
  statusSignedIn: 'Você entrou na sua conta.',
  statusRegistered: 'Sua chave de acesso está pronta.',
  statusCancelled: 'Cancelado.',
  fieldRequired: 'Preencha este campo.',
  fieldLength: 'Use de 2 a 50 caracteres.',
  emailInvalid: 'Digite um e-mail como nome@exemplo.com.',
  fieldCharacters: 'Remova deste campo os caracteres de controle (como tabulações).',
  emailTooLong: 'Um e-mail pode ter no máximo 256 caracteres.',
  emailUnsupported: 'Antes do @, use apenas as letras a–z, números e . _ + -: letras acentuadas e outros alfabetos não são aceitos ali.',
  errors: {
    'not-supported': 'Este navegador não é compatível com chaves de acesso. Use uma versão recente do Chrome, Safari, Firefox ou Edge.',
    'insecure-context': 'Chaves de acesso só funcionam em páginas seguras (https).',
    cancelled: 'A janela da chave de acesso foi fechada ou nenhuma chave foi escolhida. Tente de novo.',
    timeout: 'Isso demorou demais. Tente de novo.',
    'user-not-found': 'Não encontramos nenhuma conta com este e-mail.',
    'no-passkey': 'Nenhuma chave de acesso encontrada para este e-mail. Confira o endereço ou crie uma conta primeiro.',
    'already-registered': 'Você já tem uma chave de acesso para esta conta neste dispositivo.',
    'already-exists': 'Já existe uma conta com este e-mail.',
    unauthorized: 'Entre na sua conta primeiro.',
    forbidden: 'Você não tem permissão para fazer isso.',
    'tx-expired': 'A solicitação expirou. Tente de novo.',
    'tx-denied': 'A solicitação foi recusada. Tente de novo.',
    'tx-not-found': 'A solicitação não é mais válida. Tente de novo.',
    replayed: 'Esta resposta da chave de acesso já foi usada. Tente de novo.',
    'rate-limited': 'Muitas tentativas. Aguarde um minuto e tente de novo.',
    'invalid-request': 'Alguns dados não são válidos. Confira e tente de novo.',
    network: 'Não foi possível conectar ao servidor. Verifique sua conexão e tente de novo.',
    upstream: 'O serviço de login está indisponível no momento. Tente de novo mais tarde.',
    'rp-mismatch': 'Esta chave de acesso não pode ser usada neste site.',
  },
};
