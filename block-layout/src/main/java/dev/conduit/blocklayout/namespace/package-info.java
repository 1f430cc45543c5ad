/**
 * Namespaces: linear, block-addressed storage read and written with aligned positional I/O
 * ({@link dev.conduit.blocklayout.namespace.Namespace}). File, block-device and in-memory
 * implementations live here; the io_uring scheduler and NVMe/TCP initiator plug in through the same
 * interface. No threads are owned here; each namespace owns one descriptor or one arena.
 */
package dev.conduit.blocklayout.namespace;
