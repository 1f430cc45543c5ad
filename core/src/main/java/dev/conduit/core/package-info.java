/**
 * Types every Conduit module shares and that need no native code: the error model, typed memory
 * references and configuration. No threads of its own; everything here is immutable or thread-safe.
 */
package dev.conduit.core;
