package dev.conduit.nativebindings.spdk;

/**
 * What {@link SpdkEnvironment} initialises: the subset of {@code struct spdk_env_opts} Conduit sets.
 *
 * @param name         the process name DPDK uses for its runtime files.
 * @param coreMask     DPDK's core mask, e.g. {@code 0x1}; Conduit polls on its own threads, so one core suffices.
 * @param memSizeMiB   memory DPDK reserves, in MiB (-1: its default).
 * @param noHugePages  run without hugepages (memory is then not DMA-safe for PCIe devices; fabrics are fine).
 * @param noPci        do not scan the PCI bus (NVMe/TCP and RDMA need none; PCIe devices need it).
 */
public record SpdkEnvOptions(String name, String coreMask, int memSizeMiB, boolean noHugePages, boolean noPci)
{
    /** Default memory without hugepages, enough for a few queue pairs' request pools and DMA buffers. */
    public static final int DEFAULT_NO_HUGE_MEM_MIB = 512;

    /**
     * @return the options Conduit uses for NVMe over fabrics: no hugepages, no PCI, {@value #DEFAULT_NO_HUGE_MEM_MIB} MiB.
     */
    public static SpdkEnvOptions fabricsDefaults()
    {
        return new SpdkEnvOptions("conduit", "0x1", DEFAULT_NO_HUGE_MEM_MIB, true, true);
    }

    /**
     * @return the options for a PCIe device bound to vfio: hugepages and PCI scanning on.
     */
    public static SpdkEnvOptions pcieDefaults()
    {
        return new SpdkEnvOptions("conduit", "0x1", -1, false, false);
    }

    @Override
    public String toString()
    {
        return "name=" + name + " core_mask=" + coreMask + " mem_size=" + memSizeMiB + "MiB no_huge=" + noHugePages + " no_pci=" + noPci;
    }
}
