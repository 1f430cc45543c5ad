/**
 * Every {@code java.lang.foreign} downcall in Conduit: libc ({@link dev.conduit.nativebindings.LibC}) with
 * errno capture, struct descriptors, typed wrappers ({@link dev.conduit.nativebindings.PosixFile}) and the
 * exception hierarchy ({@link dev.conduit.core.ConduitException}). Stateless; any thread.
 */
package dev.conduit.nativebindings;

import dev.conduit.core.ConduitException;