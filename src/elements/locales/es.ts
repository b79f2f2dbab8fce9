import type { SendAuthStrings } from '../strings.js';

/**
 * Spanish, neutral (for Spain and Latin America alike), addressing the visitor as "tú" as Apple and Google
 * do; a passkey is a "llave de acceso" (Apple, Google; Microsoft says "clave de acceso").
 */
export const es: SendAuthStrings = {
  usernameLabel: 'Correo electrónico',
  firstNameLabel: 'Nombre',
  lastNameLabel: 'Apellidos',
  emailLabel: 'Correo electrónico',
  signInButton: 'Iniciar sesión con una llave de acceso',
  registerButton: 'Crear una llave de acceso',
  signupButton: 'Registrarse con una llave de acceso',
  statusStarting: 'Conectando con el servidor…',
  statusCeremony: 'Continúa en la ventana de llaves de acceso del navegador.',
  statusVerifying: 'Verificando tu llave de acceso…',
  statusSignedIn: 'Sesión iniciada.',
  statusRegistered: 'Tu llave de acceso está lista.',
  statusCancelled: 'Cancelado.',
  fieldRequired: 'Completa este campo.',
  fieldLength: 'Usa entre 2 y 50 caracteres.',
  emailInvalid: 'Escribe un correo electrónico como nombre@ejemplo.com.',
  fieldCharacters: 'Quita de este campo los caracteres de control (como tabulaciones).',
  emailTooLong: 'Un correo electrónico puede tener como máximo 256 caracteres.',
  emailUnsupported: 'Antes de la @ usa solo las letras a–z, números y . _ + -: ahí no se admiten letras con acento ni otros alfabetos.',
  errors: {
    'not-supported': 'Este navegador no admite llaves de acceso. Prueba con una versión reciente de Chrome, Safari, Firefox o Edge.',
    'insecure-context': 'Las llaves de acceso solo funcionan en páginas seguras (https).',
    cancelled: 'Se cerró la ventana de llaves de acceso o no se eligió ninguna. Inténtalo de nuevo.',
    timeout: 'La operación tardó demasiado. Inténtalo de nuevo.',
    'user-not-found': 'No encontramos ninguna cuenta con este correo electrónico.',
    'no-passkey': 'No hay ninguna llave de acceso para este correo electrónico. Revísalo o regístrate primero.',
    'already-registered': 'Ya tienes una llave de acceso para esta cuenta en este dispositivo.',
    'already-exists': 'Ya existe una cuenta con este correo electrónico.',
    unauthorized: 'Primero inicia sesión.',
    forbidden: 'No tienes permiso para hacer esto.',
    'tx-expired': 'La solicitud caducó. Inténtalo de nuevo.',
    'tx-denied': 'Se rechazó la solicitud. Inténtalo de nuevo.',
    'tx-not-found': 'La solicitud ya no es válida. Inténtalo de nuevo.',
    replayed: 'Esta respuesta de la llave de acceso ya se usó. Inténtalo de nuevo.',
    'rate-limited': 'Demasiados intentos. Espera un minuto y vuelve a intentarlo.',
    'invalid-request': 'Algunos datos no son válidos. Revísalos e inténtalo de nuevo.',
    network: 'No pudimos conectar con el servidor. Revisa tu conexión e inténtalo de nuevo.',
    upstream: 'El servicio de inicio de sesión no está disponible ahora. Inténtalo más tarde.',
    'rp-mismatch': 'Esta llave de acceso no se puede usar en este sitio.',
  },
};
