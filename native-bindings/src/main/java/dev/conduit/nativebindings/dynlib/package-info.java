/**
 * Dynamically loaded vendor libraries whose exports vary by version (libcuda, libcudart, libcufile):
 * {@link dev.conduit.nativebindings.dynlib.DynamicLibrary} opens one by soname or override path and
 * hands out {@link dev.conduit.nativebindings.dynlib.NativeFunction}s that may be missing, so an older
 * library still loads and only the absent calls fail, with a message naming the library version.
 * {@link dev.conduit.nativebindings.dynlib.CodeNames} names such a library's error codes, including ones
 * newer than the bindings. {@link dev.conduit.nativebindings.dynlib.ReleaseOnce} is the
 * release-once lifecycle their handles share. Stateless apart from lazily linked method handles; any thread.
 */
package dev.conduit.nativebindings.dynlib;
