package dev.conduit.nativebindings.uring;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class IoUringOpcodeTest
{
    @Test
    void shouldNameTheOpcodesConduitIssues()
    {
        assertEquals("NOP", IoUringOpcode.name(IoUringOpcode.NOP));
        assertEquals("READV", IoUringOpcode.name(IoUringOpcode.READV));
        assertEquals("WRITEV", IoUringOpcode.name(IoUringOpcode.WRITEV));
        assertEquals("FSYNC", IoUringOpcode.name(IoUringOpcode.FSYNC));
        assertEquals("READ_FIXED", IoUringOpcode.name(IoUringOpcode.READ_FIXED));
        assertEquals("WRITE_FIXED", IoUringOpcode.name(IoUringOpcode.WRITE_FIXED));
        assertEquals("READ", IoUringOpcode.name(IoUringOpcode.READ));
        assertEquals("WRITE", IoUringOpcode.name(IoUringOpcode.WRITE));
    }

    @Test
    void shouldRenderNumberWhenOpcodeIsUnknown()
    {
        assertEquals("OP_200", IoUringOpcode.name(200));
        assertEquals("OP_-1", IoUringOpcode.name(-1));
    }
}
