/**
 * The NVMe/TCP target: {@link dev.conduit.nvmeof.target.NvmfTarget} listens, each connection
 * ({@code QueueConnection}) is one queue of a {@code Controller} of the discovery subsystem or of an
 * NVM {@link dev.conduit.nvmeof.target.Subsystem} whose namespaces are block-layout namespaces.
 * Threads: one acceptor, one virtual thread per connection (reads PDUs, runs fabrics and admin
 * commands), one virtual thread per I/O command, one keep-alive timer.
 */
package dev.conduit.nvmeof.target;
