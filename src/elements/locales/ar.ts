import type { SendAuthStrings } from '../strings.js';

/**
 * Arabic (Modern Standard), written right to left; "مفتاح المرور", as Apple, Google and Microsoft say
 * passkey. Requests use "يُرجى" and verbal nouns, which address men and women alike; numbers in Western
 * digits, as most Arabic sites write them.
 */
export const ar: SendAuthStrings = {
  usernameLabel: 'البريد الإلكتروني',
  firstNameLabel: 'الاسم الأول',
  lastNameLabel: 'اسم العائلة',
  emailLabel: 'البريد الإلكتروني',
  signInButton: 'تسجيل الدخول باستخدام مفتاح المرور',
  registerButton: 'إنشاء مفتاح مرور',
  signupButton: 'إنشاء حساب باستخدام مفتاح مرور',
  statusStarting: 'جارٍ الاتصال بالخادم…',
  statusCeremony: 'يُرجى المتابعة في نافذة مفتاح المرور في المتصفح.',
  statusVerifying: 'جارٍ التحقق من مفتاح المرور…',
  statusSignedIn: 'تم تسجيل الدخول.',
  statusRegistered: 'مفتاح المرور جاهز.',
  statusCancelled: 'تم الإلغاء.',
  fieldRequired: 'يُرجى ملء هذا الحقل.',
  fieldLength: 'يُرجى إدخال ما بين 2 و50 حرفًا.',
  emailInvalid: 'يُرجى إدخال عنوان بريد إلكتروني مثل name@example.com.',
  fieldCharacters: 'يُرجى إزالة أحرف التحكم (مثل علامات الجدولة) من هذا الحقل.',
  emailTooLong: 'يمكن أن يتكون عنوان البريد الإلكتروني من 256 حرفًا كحد أقصى.',
  emailUnsupported: 'لا يُسمح قبل علامة @ إلا بالأحرف اللاتينية a–z والأرقام والرموز . _ + -، ولا يمكن استخدام الحروف العربية أو الحروف المشكّلة أو أي أبجدية أخرى هناك.',
  errors: {
    'not-supported': 'هذا المتصفح لا يدعم مفاتيح المرور. يُرجى تجربة إصدار حديث من Chrome أو Safari أو Firefox أو Edge.',
    'insecure-context': 'لا تعمل مفاتيح المرور إلا على صفحة آمنة (https).',
    cancelled: 'أُغلقت نافذة مفتاح المرور أو لم يتم اختيار مفتاح. يُرجى إعادة المحاولة.',
    timeout: 'استغرق الأمر وقتًا أطول من اللازم. يُرجى إعادة المحاولة.',
    'user-not-found': 'لم نعثر على حساب بعنوان البريد الإلكتروني هذا.',
    'no-passkey': 'لم يتم العثور على مفتاح مرور لعنوان البريد الإلكتروني هذا. يُرجى التحقق منه أو إنشاء حساب أولًا.',
    'already-registered': 'لديك بالفعل مفتاح مرور لهذا الحساب على هذا الجهاز.',
    'already-exists': 'يوجد حساب بعنوان البريد الإلكتروني هذا بالفعل.',
    unauthorized: 'يُرجى تسجيل الدخول أولًا.',
    forbidden: 'ليس لديك إذن بتنفيذ هذا الإجراء.',
    'tx-expired': 'انتهت صلاحية الطلب. يُرجى إعادة المحاولة.',
    'tx-denied': 'تم رفض الطلب. يُرجى إعادة المحاولة.',
    'tx-not-found': 'لم يعد الطلب صالحًا. يُرجى إعادة المحاولة.',
    replayed: 'سبق استخدام استجابة مفتاح المرور هذه. يُرجى إعادة المحاولة.',
    'rate-limited': 'محاولات كثيرة جدًا. يُرجى الانتظار دقيقة ثم إعادة المحاولة.',
    'invalid-request': 'بعض البيانات غير صالحة. يُرجى مراجعتها وإعادة المحاولة.',
    network: 'تعذّر الوصول إلى الخادم. يُرجى التحقق من الاتصال وإعادة المحاولة.',
    upstream: 'خدمة تسجيل الدخول غير متاحة حاليًا. يُرجى إعادة المحاولة لاحقًا.',
    'rp-mismatch': 'لا يمكن استخدام مفتاح المرور هذا على هذا الموقع.',
  },
};
