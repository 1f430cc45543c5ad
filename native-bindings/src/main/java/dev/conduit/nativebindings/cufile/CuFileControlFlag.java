package dev.conduit.nativebindings.cufile;

import java.util.EnumSet;
import java.util.Set;

/** Bits of {@code CUfileDrvProps_t.nvfs.dcontrolflags} ({@code CUfileDriverControlFlags_t}): active driver modes. */
public enum CuFileControlFlag
{
    /** Small IO is polled. */
    USE_POLL_MODE(0),
    /** Compat mode (POSIX IO plus a copy) is allowed. */
    ALLOW_COMPAT_MODE(1);

    private final int bit;

    CuFileControlFlag(final int bit)
    {
        this.bit = bit;
    }

    /** @return the bit position. */
    public int bit()
    {
        return bit;
    }

    /** @return the C enumerator name, e.g. {@code CU_FILE_ALLOW_COMPAT_MODE}. */
    public String cName()
    {
        return "CU_FILE_" + name();
    }

    /**
     * @param flags a {@code dcontrolflags} value.
     * @return the flags set in it.
     */
    public static Set<CuFileControlFlag> decode(final int flags)
    {
        final Set<CuFileControlFlag> out = EnumSet.noneOf(CuFileControlFlag.class);
        for (final CuFileControlFlag f : values())
        {
            if ((flags & (1 << f.bit)) != 0)
            {
                out.add(f);
            }
        }
        return out;
    }
}
