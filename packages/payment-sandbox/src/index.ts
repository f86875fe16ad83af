export {
  loadConfig,
  SANDBOX_OUTCOMES,
  type PaymentSandboxConfig,
  type SandboxOutcome,
} from './config.ts';
export {
  createPaymentSandbox,
  type CallbackDelivery,
  type PaymentSandbox,
  type SandboxCallbackBody,
  type SandboxPaymentStatus,
} from './sandbox.ts';
export { signCallback, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.ts';
