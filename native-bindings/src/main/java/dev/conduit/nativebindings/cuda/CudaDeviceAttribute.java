package dev.conduit.nativebindings.cuda;

/**
 * The {@code CUdevice_attribute} values Conduit reads with {@code cuDeviceGetAttribute}; values as
 * in {@code cuda.h} (checked against the installed header by the layout test).
 */
public enum CudaDeviceAttribute
{
    /** Number of streaming multiprocessors. */
    MULTIPROCESSOR_COUNT(16),
    /** The device shares memory with the host (integrated GPU). */
    INTEGRATED(18),
    /** The device can map host memory. */
    CAN_MAP_HOST_MEMORY(19),
    /** PCI bus number. */
    PCI_BUS_ID(33),
    /** PCI device (slot) number. */
    PCI_DEVICE_ID(34),
    /** Unified virtual addressing with the host. */
    UNIFIED_ADDRESSING(41),
    /** PCI domain number. */
    PCI_DOMAIN_ID(50),
    /** Compute capability, major. */
    COMPUTE_CAPABILITY_MAJOR(75),
    /** Compute capability, minor. */
    COMPUTE_CAPABILITY_MINOR(76),
    /** GPUDirect RDMA (and so GDS peer-to-peer) is supported. */
    GPU_DIRECT_RDMA_SUPPORTED(116);

    private final int value;

    CudaDeviceAttribute(final int value)
    {
        this.value = value;
    }

    /** @return the C enum value. */
    public int value()
    {
        return value;
    }

    /** @return the C enumerator name, e.g. {@code CU_DEVICE_ATTRIBUTE_PCI_BUS_ID}. */
    public String cName()
    {
        return "CU_DEVICE_ATTRIBUTE_" + name();
    }
}
