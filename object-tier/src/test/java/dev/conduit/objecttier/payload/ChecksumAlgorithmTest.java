package dev.conduit.objecttier.payload;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every checksum against the AWS SDK's own implementation (the CRT's for CRC64NVME), and CRC-64/NVME's check value. */
class ChecksumAlgorithmTest
{
    private static final byte[] CHECK_INPUT = "123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldMatchCrc64NvmeCheckValue()
    {
        final Crc64Nvme crc = new Crc64Nvme();
        crc.update(CHECK_INPUT, 0, CHECK_INPUT.length);

        assertEquals(0xae8b14860a799888L, crc.getValue());
    }

    @Test
    void shouldMatchCrc64NvmeCheckValueBytewise()
    {
        final Crc64Nvme crc = new Crc64Nvme();
        for (final byte b : CHECK_INPUT)
        {
            crc.update(b);
        }

        assertEquals(0xae8b14860a799888L, crc.getValue());
        crc.reset();
        assertEquals(0L, crc.getValue());
    }

    @Test
    void shouldEncodeCheckValueBigEndianBase64()
    {
        final PayloadDigest digest = ChecksumAlgorithm.CRC64NVME.newDigest();
        digest.update(ByteBuffer.wrap(CHECK_INPUT));

        assertEquals(Base64.getEncoder().encodeToString(new byte[] {
            (byte)0xae, (byte)0x8b, 0x14, (byte)0x86, 0x0a, 0x79, (byte)0x98, (byte)0x88}), digest.base64());
    }

    @Property(tries = 300)
    void shouldMatchSdkForEveryAlgorithm(
        @ForAll @Size(max = 5000) final byte[] data,
        @ForAll @IntRange(min = 0, max = 5000) final int split,
        @ForAll final boolean direct,
        @ForAll final ChecksumAlgorithm algorithm)
    {
        final PayloadDigest ours = algorithm.newDigest();
        final int at = Math.min(split, data.length);
        ours.update(buffer(data, 0, at, direct));
        ours.update(buffer(data, at, data.length, direct));

        final SdkChecksum sdk = SdkChecksum.forAlgorithm(DefaultChecksumAlgorithm.fromValue(algorithm.name()));
        sdk.update(data);

        assertEquals(Base64.getEncoder().encodeToString(sdk.getChecksumBytes()), ours.base64());
        assertEquals(ours.base64(), ours.base64());
    }

    @Test
    void shouldNameHeadersAndParseNamesInAnyCase()
    {
        assertEquals("x-amz-checksum-crc32", ChecksumAlgorithm.CRC32.headerName());
        assertEquals("x-amz-checksum-crc64nvme", ChecksumAlgorithm.CRC64NVME.headerName());
        assertEquals(Optional.of(ChecksumAlgorithm.CRC32C), ChecksumAlgorithm.fromName("crc32c"));
        assertEquals(Optional.of(ChecksumAlgorithm.CRC32C), ChecksumAlgorithm.fromName("CRC32C"));
        assertEquals(Optional.of(ChecksumAlgorithm.SHA256), ChecksumAlgorithm.fromName("Sha256"));
        assertEquals(Optional.empty(), ChecksumAlgorithm.fromName("md5"));
        assertEquals(Optional.empty(), ChecksumAlgorithm.fromName(null));
        assertEquals(Optional.of(ChecksumAlgorithm.SHA1), ChecksumAlgorithm.fromHeaderName("X-Amz-Checksum-SHA1"));
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void shouldGiveValuesOfTheDeclaredLength(final ChecksumAlgorithm algorithm)
    {
        final PayloadDigest digest = algorithm.newDigest();
        digest.update(ByteBuffer.wrap(CHECK_INPUT));

        assertEquals(algorithm.lengthBytes(), Base64.getDecoder().decode(digest.base64()).length);
        assertEquals(List.of(algorithm), List.of(ChecksumAlgorithm.fromName(algorithm.name()).orElseThrow()));
    }

    private static ByteBuffer buffer(final byte[] data, final int from, final int to, final boolean direct)
    {
        // An odd offset inside a larger buffer: the slicing-by-8 loop must not assume alignment.
        final int capacity = to - from + 3;
        final ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        buffer.position(3);
        buffer.put(data, from, to - from);
        buffer.position(3);
        return buffer;
    }
}
