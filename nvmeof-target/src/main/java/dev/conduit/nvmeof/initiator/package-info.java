/**
 * The host side of NVMe/TCP: {@link dev.conduit.nvmeof.initiator.HostQueue} (one connection: ICReq,
 * Connect, commands with in-capsule or R2T data, C2HData, digests) and
 * {@link dev.conduit.nvmeof.initiator.HostController} (admin queue, enable handshake, I/O queues).
 * Each queue reads responses on its own virtual thread; submitters may be any thread.
 */
package dev.conduit.nvmeof.initiator;
