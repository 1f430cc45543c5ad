/**
 * CUDA driver and runtime bindings: the raw driver table ({@link dev.conduit.nativebindings.cuda.CudaDriverLibrary},
 * CUresult codes), the typed API over it ({@link dev.conduit.nativebindings.cuda.CudaDriver},
 * {@link dev.conduit.nativebindings.cuda.CudaContext}, {@link dev.conduit.nativebindings.cuda.DeviceMemory},
 * {@link dev.conduit.nativebindings.cuda.CudaStream}, {@link dev.conduit.nativebindings.cuda.CudaEvent},
 * {@link dev.conduit.nativebindings.cuda.DevicePointer}), the runtime's version and device-count calls
 * ({@link dev.conduit.nativebindings.cuda.CudaRuntime}) and the host facts {@code conduit doctor} reports
 * ({@link dev.conduit.nativebindings.cuda.CudaInventory}).
 *
 * <p>Threading: the bindings are stateless; a CUDA context is current per thread, so every thread
 * that allocates, copies or creates streams calls {@link dev.conduit.nativebindings.cuda.CudaContext#makeCurrent()}
 * once. Each stream belongs to one owner thread.
 */
package dev.conduit.nativebindings.cuda;
