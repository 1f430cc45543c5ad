package dev.conduit.nativebindings.cuda;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A {@code CUipcMemHandle}: 64 opaque bytes naming one exported device allocation, safe to send to
 * another process (a trainer maps it with {@code cuIpcOpenMemHandle} or
 * {@code torch.cuda} IPC). It names the whole allocation: always export a base pointer and send
 * the offset of the bytes within it separately.
 */
public final class CudaIpcHandle
{
    /** Size of the handle ({@code CU_IPC_HANDLE_SIZE}). */
    public static final int BYTES = 64;

    private final byte[] bytes;

    /**
     * @param bytes exactly {@link #BYTES} bytes, as cuIpcGetMemHandle wrote them.
     */
    public CudaIpcHandle(final byte[] bytes)
    {
        if (bytes.length != BYTES)
        {
            throw new IllegalArgumentException("a CUipcMemHandle has " + BYTES + " bytes, not " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    /** @return a copy of the handle's bytes. */
    public byte[] bytes()
    {
        return bytes.clone();
    }

    /** @return the bytes as lower-case hex (128 characters), e.g. for a JSON message to the consumer. */
    public String toHex()
    {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof CudaIpcHandle other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString()
    {
        return "CudaIpcHandle[" + toHex().substring(0, 16) + "...]";
    }
}
