package dev.conduit.nvmeof.pdu;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the PDU decoder, both directions, before and after connection
 * initialization, with and without digests. Any input may be rejected, but only as a
 * {@link PduException} (the termination request the target sends) or an EOF (truncated input):
 * anything else (an index error, an allocation sized from the wire, a hang) is a bug.
 *
 * <p>CI runs it for a bounded time (the module's pom sets {@code JAZZER_FUZZ=1}, and
 * {@code maxDuration} bounds it); a longer run is described in the module README.
 */
class PduReaderFuzzTest
{
    private static final int MAX_DATA = 16 * 1024;

    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "25s")
    void decoderRejectsOnlyWithTypedErrors(final byte[] input) throws IOException
    {
        if (input.length == 0)
        {
            return;
        }
        final int mode = input[0] & 0x7;
        try (Arena arena = Arena.ofConfined())
        {
            final PduReader reader = (mode & 1) == 0 ? PduReader.forController(arena, MAX_DATA) : PduReader.forHost(arena, MAX_DATA);
            if ((mode & 2) != 0)
            {
                final boolean digests = (mode & 4) != 0;
                reader.negotiated(digests, digests, 0, MAX_DATA, MAX_DATA / 2);
            }
            final ReadableByteChannel channel = PduBytes.channel(java.util.Arrays.copyOfRange(input, 1, input.length));
            try
            {
                int pdus = 0;
                while (reader.read(channel))
                {
                    if (reader.dataOffset() + reader.dataLength() > reader.buffer().byteSize() || reader.dataLength() < 0)
                    {
                        throw new IllegalStateException("data outside the receive buffer");
                    }
                    if (++pdus > input.length)
                    {
                        throw new IllegalStateException("more PDUs than input bytes");
                    }
                }
            }
            catch (final PduException | EOFException expected)
            {
                // the decoder refused the input the way it must
            }
        }
    }
}
