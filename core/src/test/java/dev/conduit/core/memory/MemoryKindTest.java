package dev.conduit.core.memory;

import java.lang.foreign.Arena;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryKindTest
{
    @Test
    void shouldBuildAndDescribeMasks()
    {
        final int mask = MemoryKind.maskOf(MemoryKind.HOST, MemoryKind.HOST_REGISTERED);
        assertTrue(MemoryKind.HOST.isIn(mask));
        assertTrue(MemoryKind.HOST_REGISTERED.isIn(mask));
        assertFalse(MemoryKind.DEVICE.isIn(mask));
        assertEquals("[HOST, HOST_REGISTERED]", MemoryKind.describe(mask));
        assertEquals("[]", MemoryKind.describe(0));
    }

    @Test
    void shouldTypeRegistrationsByTheMemoryTheyHold()
    {
        final BufferRegistrar registrar = new BufferRegistrar()
        {
            public String name()
            {
                return "test";
            }

            public int registrableMemoryKinds()
            {
                return MemoryKind.maskOf(MemoryKind.HOST, MemoryKind.DEVICE);
            }

            public RegisteredMemory register(final IoMemory memory)
            {
                return new RegisteredMemory(this, 3, memory);
            }

            public void unregister(final RegisteredMemory registration)
            {
                registration.markUnregistered();
            }
        };
        final DeviceMemory device = new DeviceMemory(0x1000, 0x7f00_0000_0000L, 1 << 20);
        final RegisteredMemory onDevice = registrar.register(device);
        assertEquals(MemoryKind.DEVICE_REGISTERED, onDevice.kind());
        assertEquals(device.devicePointer(), onDevice.address());
        try (Arena arena = Arena.ofConfined())
        {
            final RegisteredMemory onHost = registrar.register(HostMemory.of(arena.allocate(4096, 4096)));
            assertEquals(MemoryKind.HOST_REGISTERED, onHost.kind());
            assertEquals(4096, onHost.lengthBytes());
            assertTrue(onHost.isActive());
            registrar.unregister(onHost);
            assertFalse(onHost.isActive());
            assertThrows(IllegalArgumentException.class, () -> new RegisteredMemory(registrar, 0, onHost));
        }
    }

    @Test
    void shouldRejectNullDeviceReferences()
    {
        assertThrows(IllegalArgumentException.class, () -> new DeviceMemory(0, 0x1000, 1));
        assertThrows(IllegalArgumentException.class, () -> new DeviceMemory(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DeviceMemory(1, 1, -1));
    }
}
