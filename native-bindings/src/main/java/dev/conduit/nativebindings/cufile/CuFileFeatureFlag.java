package dev.conduit.nativebindings.cufile;

import java.util.EnumSet;
import java.util.Set;

/** Bits of {@code CUfileDrvProps_t.fflags} ({@code CUfileFeatureFlags_t}): library features. */
public enum CuFileFeatureFlag
{
    /** Dynamic routing across GPUs. */
    DYN_ROUTING(0),
    /** Batch IO. */
    BATCH_IO(1),
    /** CUDA-stream IO. */
    STREAMS(2),
    /** Parallel IO. */
    PARALLEL_IO(3),
    /** Peer-to-peer DMA. */
    P2P(4);

    private final int bit;

    CuFileFeatureFlag(final int bit)
    {
        this.bit = bit;
    }

    /** @return the bit position. */
    public int bit()
    {
        return bit;
    }

    /** @return the C enumerator name, e.g. {@code CU_FILE_BATCH_IO_SUPPORTED}. */
    public String cName()
    {
        return "CU_FILE_" + name() + "_SUPPORTED";
    }

    /**
     * @param flags an {@code fflags} value.
     * @return the flags set in it.
     */
    public static Set<CuFileFeatureFlag> decode(final int flags)
    {
        final Set<CuFileFeatureFlag> out = EnumSet.noneOf(CuFileFeatureFlag.class);
        for (final CuFileFeatureFlag f : values())
        {
            if ((flags & (1 << f.bit)) != 0)
            {
                out.add(f);
            }
        }
        return out;
    }
}
