package dev.conduit.gdspath;

import dev.conduit.nativebindings.cuda.DevicePointer;

/**
 * One device allocation ({@code cuMemAlloc}) a {@link DeviceBufferPool} cuts buffers from: the unit
 * the GDS engine registers with {@code cuFileBufRegister}, so a pool of many small buffers costs a
 * few registrations of the device's BAR budget, not one per buffer.
 *
 * @param index    the slab's position in its pool.
 * @param base     the allocation's base address.
 * @param sizeBytes the allocation's size.
 */
public record DeviceSlab(int index, DevicePointer base, long sizeBytes)
{
}
