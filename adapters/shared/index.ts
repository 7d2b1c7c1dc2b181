/**
 * The adapter kit: plumbing every OS backend shares (argument checks, handles, safe callbacks,
 * errors, lazy native loading, koffi, NET_LUID, ifType). Internal: not an entry point of the package.
 * Never imports rxjs and loads nothing native at import.
 *
 * @module
 */
export { bestRouteError, EINVAL, ERROR_INVALID_PARAMETER, familyError, invalidFamily, parseAddressText, registrationError } from './adapter-arguments.js';
export { ifTypeOfArphrd } from './if-type.js';
export { describeError, importKoffi, koffiEntryPath, moduleFile, type Koffi } from './native-module.js';
export { netLuid } from './net-luid.js';
export { onceLoader } from './once-loader.js';
export { asOsError, nativeLoadFailed } from './os-error.js';
export { processWide } from './process-state.js';
export { ERROR_INVALID_HANDLE, Registrations } from './registrations.js';
export { endRegistration, ERROR_OPERATION_ABORTED, registrationEnded } from './registration-ended.js';
export { callSafely, rethrowLater } from './safe-callback.js';
