/**
 * Memory that knows what it is: typed references a request carries instead of a bare address
 * ({@link dev.conduit.core.memory.HostMemory}, {@link dev.conduit.core.memory.RegisteredMemory},
 * {@link dev.conduit.core.memory.DeviceMemory}), the {@link dev.conduit.core.memory.MemoryKind}s a
 * backend declares it accepts, the {@link dev.conduit.core.memory.BufferRegistrar} contract that
 * backends able to pin memory implement, and {@link dev.conduit.core.memory.IoArena}, an arena
 * that cannot be closed while I/O into its memory is in flight.
 */
package dev.conduit.core.memory;
