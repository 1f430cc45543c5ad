package dev.conduit.nativebindings.cufile;

import java.util.EnumSet;
import java.util.Set;

/**
 * Bits of {@code CUfileDrvProps_t.nvfs.dstatusflags} ({@code CUfileDriverStatusFlags_t}): the
 * storage types the nvidia-fs driver can serve with GDS. NVME and NVMEOF are the ones Conduit needs.
 */
public enum CuFileDriverStatusFlag
{
    /** DDN EXAScaler / Lustre. */
    LUSTRE(0),
    /** WekaFS. */
    WEKAFS(1),
    /** NFS over RDMA. */
    NFS(2),
    /** IBM Spectrum Scale. */
    GPFS(3),
    /** Local NVMe. */
    NVME(4),
    /** NVMe over Fabrics. */
    NVMEOF(5),
    /** SCSI. */
    SCSI(6),
    /** ScaleFlux computational storage. */
    SCALEFLUX_CSD(7),
    /** NVMesh block devices. */
    NVMESH(8),
    /** BeeGFS. */
    BEEGFS(9),
    /** Deprecated NVMe P2P bit. */
    NVME_P2P(11),
    /** ScateFS. */
    SCATEFS(12),
    /** VirtioFS. */
    VIRTIOFS(13),
    /** PanFS. */
    PANFS(14);

    private final int bit;

    CuFileDriverStatusFlag(final int bit)
    {
        this.bit = bit;
    }

    /** @return the bit position. */
    public int bit()
    {
        return bit;
    }

    /** @return the C enumerator name, e.g. {@code CU_FILE_NVME_SUPPORTED}. */
    public String cName()
    {
        return "CU_FILE_" + name() + "_SUPPORTED";
    }

    /**
     * @param flags a {@code dstatusflags} value.
     * @return the flags set in it.
     */
    public static Set<CuFileDriverStatusFlag> decode(final int flags)
    {
        final Set<CuFileDriverStatusFlag> out = EnumSet.noneOf(CuFileDriverStatusFlag.class);
        for (final CuFileDriverStatusFlag f : values())
        {
            if ((flags & (1 << f.bit)) != 0)
            {
                out.add(f);
            }
        }
        return out;
    }
}
