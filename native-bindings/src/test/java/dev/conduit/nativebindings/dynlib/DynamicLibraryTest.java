package dev.conduit.nativebindings.dynlib;

import java.lang.foreign.FunctionDescriptor;
import java.util.List;

import dev.conduit.nativebindings.testing.Doubles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Optional symbols: present ones link, absent ones fail only when called, naming the library. */
@Timeout(30)
class DynamicLibraryTest
{
    @Test
    void shouldTryCandidatesInOrder()
    {
        final DynamicLibrary lib = DynamicLibrary.open(List.of("/nonexistent/libx.so", Doubles.cuda().toString())).orElseThrow();

        assertEquals(Doubles.cuda().toString(), lib.name());
        assertTrue(DynamicLibrary.open(List.of("/nonexistent/libx.so")).isEmpty());
    }

    @Test
    void shouldLinkAPresentFunctionAndRefuseAMissingOneAtCallTime() throws Throwable
    {
        final DynamicLibrary lib = DynamicLibrary.open(List.of(Doubles.cuda().toString())).orElseThrow();
        final NativeFunction init = lib.function("cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT), () -> "the double");
        final NativeFunction missing = lib.function("cuNoSuchCall", FunctionDescriptor.of(JAVA_INT), () -> "the double 1.0");

        assertTrue(init.exported());
        assertEquals(1, (int)init.handle().invokeExact(7), "cuInit(7) is CUDA_ERROR_INVALID_VALUE");
        assertFalse(missing.exported());
        assertEquals("cuNoSuchCall (not exported)", missing.toString());
        final UnsupportedCallException e = assertThrows(UnsupportedCallException.class, missing::handle);
        assertEquals("cuNoSuchCall: not supported by the double 1.0", e.getMessage());
    }

    @Test
    void shouldPreferTheFirstExportedAlias()
    {
        final DynamicLibrary full = DynamicLibrary.open(List.of(Doubles.cufile().toString())).orElseThrow();
        final DynamicLibrary legacy = DynamicLibrary.open(List.of(Doubles.legacyCufile().toString())).orElseThrow();
        final List<String> names = List.of("cuFileDriverClose_v2", "cuFileDriverClose");
        final FunctionDescriptor d = FunctionDescriptor.ofVoid();

        assertEquals("cuFileDriverClose_v2", full.firstOf(names, d, () -> "").symbol());
        assertEquals("cuFileDriverClose", legacy.firstOf(names, d, () -> "").symbol());
        assertEquals("cuA", legacy.firstOf(List.of("cuA", "cuB"), d, () -> "").symbol());
    }
}
