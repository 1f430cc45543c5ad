package dev.conduit.nativebindings.uring;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;

/**
 * The opcodes a kernel reported as supported through IORING_REGISTER_PROBE. Immutable.
 */
public final class SupportedOpcodes
{
    private final BitSet supported;
    private final int lastOpcode;

    private SupportedOpcodes(final BitSet supported, final int lastOpcode)
    {
        this.supported = supported;
        this.lastOpcode = lastOpcode;
    }

    /**
     * @param probe a probe the kernel has filled (see {@link ProbeDescriptor}).
     * @return the supported set it describes.
     */
    static SupportedOpcodes from(final MemorySegment probe)
    {
        final BitSet supported = new BitSet(ProbeDescriptor.MAX_OPS);
        final int opsLength = Math.min(ProbeDescriptor.opsLength(probe), ProbeDescriptor.MAX_OPS);
        for (int i = 0; i < opsLength; i++)
        {
            if (ProbeDescriptor.isSupported(probe, i))
            {
                supported.set(ProbeDescriptor.opcode(probe, i));
            }
        }
        return new SupportedOpcodes(supported, ProbeDescriptor.lastOp(probe));
    }

    /**
     * @param opcode an {@link IoUringOpcode} value.
     * @return whether the kernel supports it.
     */
    public boolean isSupported(final int opcode)
    {
        return opcode >= 0 && supported.get(opcode);
    }

    /** @return the highest opcode the kernel knows (supported or not). */
    public int lastOpcode()
    {
        return lastOpcode;
    }

    /** @return names of the supported opcodes in opcode order (see {@link IoUringOpcode#name}). */
    public List<String> names()
    {
        final List<String> names = new ArrayList<>(supported.cardinality());
        for (int op = supported.nextSetBit(0); op >= 0; op = supported.nextSetBit(op + 1))
        {
            names.add(IoUringOpcode.name(op));
        }
        return Collections.unmodifiableList(names);
    }

    @Override
    public String toString()
    {
        return "SupportedOpcodes" + names();
    }
}
