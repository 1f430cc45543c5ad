package dev.conduit.blocklayout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/** {@link Bytes#md5()}: each call a digest of its own (cloned, never shared), each one right. */
class BytesMd5Test
{
    @Test
    void shouldGiveIndependentDigestsThatHashCorrectly()
    {
        final MessageDigest first = Bytes.md5();
        final MessageDigest second = Bytes.md5();
        assertNotSame(first, second);
        first.update("a".getBytes(StandardCharsets.US_ASCII));
        second.update("abc".getBytes(StandardCharsets.US_ASCII));
        first.update("bc".getBytes(StandardCharsets.US_ASCII));

        assertEquals("900150983cd24fb0d6963f7d28e17f72", HexFormat.of().formatHex(first.digest()));
        assertEquals("900150983cd24fb0d6963f7d28e17f72", HexFormat.of().formatHex(second.digest()));
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", HexFormat.of().formatHex(Bytes.md5().digest()));
    }
}
