/**
 * DLPack ({@code dlpack.h} v0.8 ABI): {@code DLManagedTensor}s over memory Conduit owns, handed to a
 * framework (PyTorch {@code from_dlpack}, JAX, CuPy), whose deleter is an FFM upcall into Java that
 * gives the memory back to its owner. Threading: export from any thread; the framework calls the
 * deleter on whatever thread drops the tensor.
 */
package dev.conduit.nativebindings.dlpack;
