/**
 * cuFile (GPUDirect Storage) bindings, the whole public surface: the raw table
 * ({@link dev.conduit.nativebindings.cufile.CuFileLibrary}, packed {@code CUfileError_t} statuses, struct
 * layouts in {@link dev.conduit.nativebindings.cufile.CuFileLayouts}) and the typed API over it: driver
 * session, settings, file handles, buffer registrations, batches, stream IO and statistics, each
 * {@code AutoCloseable} in the order the API requires. {@link dev.conduit.nativebindings.cufile.CuFileInventory}
 * is what {@code conduit doctor} reports.
 *
 * <p>Threading: cuFile is thread-safe; batches and async IO complete on the library's threads, so
 * their native memory lives in shared arenas owned by the Java object that submitted them.
 */
package dev.conduit.nativebindings.cufile;
